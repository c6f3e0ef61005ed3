export type Row = Record<string, unknown>;

/** The rows of a raw statement (`db.execute(sql…)`): every driver (pg, PGlite, Neon) answers with `{ rows }`. */
export const rowsOf = (result: unknown) => (result as { rows: Row[] }).rows;
