-- Hand-written (drizzle-kit does not manage functions): search folds case and accents, so
-- "nguyen", "NGUYEN" and "nguyễn" all find "Nguyễn Văn A". Decomposed (NFD), the combining
-- marks (Latin U+0300–036F, Arabic harakat U+064B–065F) go, đ/Đ (no decomposition) become d,
-- then lower() and recomposed (NFC, so Hangul and the like stay whole). Only pg_catalog
-- functions inside, and invoice_search_prefixes repeats the expression rather than calling
-- this one: index maintenance runs them with a restricted search_path. Emails keep their
-- lower() index: zod's email format is ASCII, and a fold per row would slow the search probe.
CREATE OR REPLACE FUNCTION invoice_search_fold(s text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT normalize(lower(translate(regexp_replace(normalize(s, NFD), '[\u0300-\u036f\u064b-\u065f]', '', 'g'), 'đĐ', 'dD')), NFC)
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION invoice_search_prefixes(name text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT array_to_tsvector(coalesce(array_agg(p), '{}'))
  FROM (SELECT normalize(lower(translate(regexp_replace(normalize(name, NFD), '[\u0300-\u036f\u064b-\u065f]', '', 'g'), 'đĐ', 'dD')), NFC)) folded(f),
       LATERAL (SELECT w FROM unnest(tsvector_to_array(to_tsvector('simple', f)) || regexp_split_to_array(f, '\s+')) w WHERE w <> '') words,
       LATERAL (SELECT left(w, n) FROM generate_series(1, least(length(w), 20)) n UNION SELECT w) prefixes(p)
$$;--> statement-breakpoint
-- The stored vectors were built by the old body: rewrite the rows whose names fold differently
-- (any UPDATE recomputes a stored generated column); plain ASCII names are left alone.
UPDATE "invoices" SET "customer_name" = "customer_name"
WHERE "search_vector" IS DISTINCT FROM invoice_search_prefixes("customer_name");
