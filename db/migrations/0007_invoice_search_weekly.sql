-- Hand-written (drizzle-kit does not manage functions): a search vector's lexemes filed
-- under the week of created_at ('2866@layla'; whole weeks since 1970-01-01 UTC, the same
-- arithmetic as weekOf() in lib/invoices/search.ts), so the newest matches of a rare word
-- are read a few weeks at a time. Only pg_catalog functions inside: index maintenance runs
-- them with a restricted search_path. PARALLEL RESTRICTED keeps those reads in one process:
-- they touch a few hundred rows, and the estimate for a week's lexeme (a floor from the
-- statistics) is large enough to make the planner start workers that cost more than the read.
CREATE FUNCTION invoice_search_weekly(v tsvector, ts timestamptz) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL RESTRICTED AS $$
  SELECT array_to_tsvector(coalesce(array_agg(
    floor(extract(epoch FROM (ts - timestamptz '1970-01-01 00:00:00+00')) / 604800)::bigint || '@' || l), '{}'))
  FROM unnest(tsvector_to_array(v)) l
$$;--> statement-breakpoint
CREATE INDEX "invoices_search_weekly_idx" ON "invoices" USING gin (invoice_search_weekly("search_vector", "created_at"));
