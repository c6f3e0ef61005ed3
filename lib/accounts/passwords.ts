import bcrypt from "bcryptjs";

const COST = 10;
// Compared against when the email is unknown, so a miss costs as long as a hit.
const DUMMY_HASH = "$2b$10$CwTycUXWue0Thq9StjUM0uJ8.Qe6yVhmwJJ6DflDnBbzBkKG9sLlq";

export const hashPassword = (password: string) => bcrypt.hash(password, COST);

export async function checkPassword(password: string, hash: string | null | undefined): Promise<boolean> {
  const ok = await bcrypt.compare(password, hash ?? DUMMY_HASH);
  return ok && !!hash;
}
