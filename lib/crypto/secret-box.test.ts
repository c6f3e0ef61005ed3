import { describe, expect, it } from "vitest";
import { openSecret, sealSecret } from "./secret-box";

describe("secret box", () => {
  it("seals so the database never holds the plain secret, and opens it again", () => {
    const sealed = sealSecret("pss_super-secret");
    expect(sealed).not.toContain("super-secret");
    expect(sealed).not.toBe(sealSecret("pss_super-secret"));
    expect(openSecret(sealed)).toBe("pss_super-secret");
  });

  it("refuses a tampered value", () => {
    const [v, nonce, tag, ct] = sealSecret("pss_super-secret").split(".");
    const flipped = ct!.startsWith("A") ? `B${ct!.slice(1)}` : `A${ct!.slice(1)}`;
    expect(() => openSecret([v, nonce, tag, flipped].join("."))).toThrow();
  });
});
