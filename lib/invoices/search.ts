import { and, eq, or, type SQL, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { invoices } from "@/db/schema";
import type { InvoiceListRow, listColumns } from "./queries";
import { parseInvoiceNumber } from "./schemas";

const MAX_WORDS = 8;
/** Prefixes are stored up to this length (see invoice_search_prefixes in migration 0001). */
const PREFIX_MAX = 20;
/** The weekly index files every name lexeme under the week of created_at (see migration 0007). */
const WEEK_MS = 7 * 86_400_000;
/** The newest rows of the list a search tests one by one before it reads an index. */
const PROBE_ROWS = 2000;
/** At most this many weeks go into one read of the weekly index (the planner's estimate grows with each). */
const MAX_WEEKS = 8;
/** At most this many matches are read through the plain search indexes before sorting them. */
export const SEARCH_HIT_CAP = 2000;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
/** Text inside tsquery quotes: none of its characters is then an operator. */
const quoted = (s: string) => s.replace(/\\/g, "\\\\").replace(/'/g, "''");
export const weekOf = (ms: number) => Math.floor(ms / WEEK_MS);
/** A word's length once folded as invoice_search_fold folds it (migration 0016): its marks do not count. */
const foldedLength = (w: string) => [...w.normalize("NFD").replace(/[\u0300-\u036f\u064b-\u065f]/g, "").normalize("NFC")].length;

export interface Search {
  /** Every word starts a word of the name; one word may instead start the email or reference, or be the number. */
  match: SQL;
  /** The name part of `match` for rows created in the given weeks, through the weekly index. */
  nameInWeeks(weeks: number[]): SQL;
  /** The rest of `match` (email, reference, number) when one word was typed. */
  others: SQL | null;
}

/**
 * Name prefixes are stored as exact lexemes, so each word is one GIN entry and
 * several words intersect. Folding (case, accents, đ → d) happens in SQL: the
 * same invoice_search_fold() that built the stored lexemes, so "nguyen" finds
 * "Nguyễn" (and "đức.nguyễn@" the ASCII email it stands for). Null when nothing searchable was typed.
 */
export function parseSearch(q: string): Search | null {
  const words = q
    .split(/\s+/)
    .filter((w) => /[\p{L}\p{N}]/u.test(w))
    .slice(0, MAX_WORDS);
  if (words.length === 0) return null;
  // Longer words are stored whole besides their first 20 letters: match those by prefix.
  const lexeme = (w: string, week?: number) =>
    `'${week === undefined ? "" : `${week}@`}${quoted(w)}'${foldedLength(w) <= PREFIX_MAX ? "" : ":*"}`;
  const name = sql`${invoices.searchVector} @@ invoice_search_fold(${words.map((w) => lexeme(w)).join(" & ")})::tsquery`;
  const nameInWeeks = (weeks: number[]) => {
    const query = weeks.map((week) => `(${words.map((w) => lexeme(w, week)).join(" & ")})`).join(" | ");
    return sql`invoice_search_weekly(${invoices.searchVector}, ${invoices.createdAt}) @@ invoice_search_fold(${query})::tsquery`;
  };
  if (words.length > 1) return { match: name, nameInWeeks, others: null };
  const word = words[0]!;
  const start = `${escapeLike(word)}%`;
  const number = parseInvoiceNumber(word);
  const others = or(
    // Stored emails are ASCII (zod's email format): lower() is their fold, and cheap in the probe.
    sql`lower(${invoices.customerEmail}) like invoice_search_fold(${start})`,
    sql`lower(${invoices.referenceId}) like lower(${start})`,
    number ? eq(invoices.number, number) : undefined,
  )!;
  return { match: or(name, others)!, nameInWeeks, others };
}

/** The WHERE of a search with no words: nothing matches. */
export const searchCondition = (q: string): SQL => parseSearch(q)?.match ?? sql`false`;

interface PageQuery {
  merchantId: string;
  columns: typeof listColumns;
  /** The list's own filters: merchant, tab, dates and the cursor. */
  where: SQL;
  search: Search;
  descending: boolean;
  limit: number;
}

/**
 * The weekly steps of a search, as CTEs ending in `weekly`: from the week of the
 * first match the probe saw, the weeks the rest of the page should take at the
 * rate the probe saw matches, and half as many again (two weeks when it saw
 * one match), then twice as many, then MAX_WEEKS more, each read only if the ones before hold less than a
 * page of name matches. The weeks read hold every name match newer than their
 * far edge, and `others` every email, reference or number match; so once the
 * weeks hold a page, the newest rows of both are the page. `weekly` is empty
 * when they do not (the caller then reads the plain indexes).
 */
function weekLadder(
  hits: { createdAt: Date }[],
  { where, search, descending, limit }: Pick<PageQuery, "where" | "search" | "descending" | "limit">,
): SQL {
  const step = descending ? -1 : 1;
  const firstMs = hits[0]!.createdAt.getTime();
  const lastMs = hits[hits.length - 1]!.createdAt.getTime();
  const need = limit - hits.length;
  const start = weekOf(firstMs);
  const msPerMatch = hits.length > 1 ? Math.abs(firstMs - lastMs) / (hits.length - 1) : null;
  const nearCount = msPerMatch === null ? 2 : Math.min(MAX_WEEKS, Math.abs(weekOf(lastMs + step * 1.5 * need * msPerMatch) - start) + 1);
  const counts = [nearCount, Math.min(MAX_WEEKS, 2 * nearCount), MAX_WEEKS];
  let next = start;
  const edge = (week: number) => new Date((descending ? week : week + 1) * WEEK_MS).toISOString();
  const steps = counts.map((count, i) => {
    const weeks = Array.from({ length: count }, (_, k) => next + step * k);
    const newer = i === 0 ? sql`` : sql` and ${invoices.createdAt} ${sql.raw(descending ? "<" : ">=")} ${edge(next - step)}::timestamptz`;
    next += step * count;
    const before = i === 0 ? sql`` : sql` and (select count(*) from (${sql.join(
      Array.from({ length: i }, (_, k) => sql.raw(`select 1 from w${k}`)),
      sql` union all `,
    )}) b) < ${limit}`;
    return sql`w${sql.raw(String(i))} as materialized (
      select id, created_at from invoices where ${where}${newer}
        and ${invoices.createdAt} ${sql.raw(descending ? ">=" : "<")} ${edge(weeks[weeks.length - 1]!)}::timestamptz
        and ${search.nameInWeeks(weeks)}${before}),`;
  });
  // The rest of a one-word match (email, reference, number) from its btree indexes, whatever
  // the week: with the weeks' name matches, every match newer than the last week read.
  const others = search.others
    ? sql`others as materialized (select id, created_at from invoices where ${where} and ${search.others} limit ${SEARCH_HIT_CAP + 1}),`
    : sql`others as (select null::text as id, null::timestamptz as created_at where false),`;
  return sql`${sql.join(steps, sql`\n`)}
    ${others}
    weekly as materialized (
      select * from (select * from w0 union all select * from w1 union all select * from w2 union select * from others) m
      where (select count(*) from others) <= ${SEARCH_HIT_CAP}
        and (select count(*) from (select 1 from w0 union all select 1 from w1 union all select 1 from w2) n) >= ${limit}),`;
}

/**
 * One page of a search, in one or two statements whose cost follows the page
 * rather than the size of the list:
 * 1. the probe: the list in order, each row tested, until a page of matches or
 *    PROBE_ROWS rows. A common word is done here.
 * 2. else, from the week of the first match on, the weekly index (weekLadder),
 *    exact as soon as the weeks read hold a page. Else (or when the probe found
 *    nothing) the plain indexes, up to SEARCH_HIT_CAP matches sorted; else the
 *    keyset scan filtered, which then finds a page within about
 *    limit × rows / SEARCH_HIT_CAP rows.
 */
export async function searchPage(db: Database, { merchantId, columns, where, search, descending, limit }: PageQuery): Promise<InvoiceListRow[]> {
  const order = sql.raw(descending ? "created_at desc, id desc" : "created_at, id");
  const probe = db
    .select({ ...columns, hit: sql<boolean>`${search.match}`.as("hit") })
    .from(invoices)
    .where(where)
    .orderBy(order)
    .limit(PROBE_ROWS)
    .as("probe");
  // Ordered again outside: a subquery's order is not promised to survive (free here, it is already sorted).
  const hits = (await db.select().from(probe).where(sql`${probe.hit}`).orderBy(order).limit(limit)).map(({ hit: _hit, ...row }) => row);
  if (hits.length >= limit) return hits;

  const weeks = hits.length ? weekLadder(hits, { where, search, descending, limit }) : sql`weekly as (select null::text as id, null::timestamptz as created_at where false),`;
  // MATERIALIZED CTEs are planned alone and run only as far as they are read; the one-time
  // filters skip the steps not needed, so the estimates cannot turn the plan around.
  const ids = sql`with
    ${weeks}
    hits as materialized (select id, created_at from invoices where ${where} and ${search.match}),
    capped as materialized (
      select id, created_at from hits where not exists (select from weekly) limit ${SEARCH_HIT_CAP + 1}),
    common as materialized (
      select id, created_at from invoices where ${where} and ${search.match} and (select count(*) from capped) > ${SEARCH_HIT_CAP}
      order by ${order} limit ${limit})
  select id from (
    select id, created_at from weekly
    union all select id, created_at from capped where (select count(*) from capped) <= ${SEARCH_HIT_CAP}
    union all select id, created_at from common
  ) picked order by ${order} limit ${limit}`;
  return db
    .select(columns)
    .from(invoices)
    .where(and(eq(invoices.merchantId, merchantId), sql`${invoices.id} = any(array(${ids}))`))
    .orderBy(order)
    .limit(limit);
}
