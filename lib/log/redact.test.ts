import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { routeConsoleThroughLogger } from "./console";
import { createLogger } from "./logger";
import { luhn, maskPans, scrubText } from "./redact";
import { runWithRequest } from "./request-context";

/** A logger writing into an array, at debug, so a test reads exactly what production would print. */
function capture() {
  const lines: string[] = [];
  const logger = createLogger({ write: (s: string) => void lines.push(s) }, "debug");
  return { logger, lines, text: () => lines.join(""), json: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const PAN = "4242424242424242";
const WHSEC = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

describe("log redaction", () => {
  it("drops secrets, passwords, credentials and signatures under their keys at any depth", () => {
    const { logger, text, json } = capture();
    logger.info(
      {
        password: "correct-horse-battery",
        user: { email: "ada@example.test", newPassword: "tr0ub4dor&3", passwordHash: "x" },
        headers: { authorization: "Token abc123", cookie: "next-auth.session-token=eyJhbGciOi", "x-settle-signature": "v1=deadbeef" },
        endpoint: { secret: "s3cr3t-value", nested: { deeper: { apiKey: "key-123456" } } },
        csrfToken: "csrf-987654",
        body: '{"anything":"at all"}',
      },
      "signing in",
    );
    const out = text();
    for (const leaked of ["correct-horse-battery", "tr0ub4dor&3", "abc123", "eyJhbGciOi", "deadbeef", "s3cr3t-value", "key-123456", "csrf-987654", "at all"]) {
      expect(out).not.toContain(leaked);
    }
    const [line] = json();
    expect(line).toMatchObject({ level: "info", msg: "signing in", user: { email: "ada@example.test" } });
  });

  it("masks card numbers in messages, nested strings and numbers, keeping the last four", () => {
    const { logger, text } = capture();
    logger.warn({ note: `customer typed 4242 4242 4242 4242 and 5555-5555-5555-4444`, amount: 4242424242424242 }, `card ${PAN} declined`);
    const out = text();
    expect(out).not.toMatch(/4242424242424242|4242 4242 4242 4242|5555-5555-5555-4444/);
    expect(out).toContain("[card …4242]");
    expect(out).toContain("[card …4444]");
  });

  it("scrubs a password-reset token (a link in a failed mail's message, a request path)", () => {
    const { logger, text } = capture();
    const token = "prt_x3Kq9-Lm2ZpQ8vR7tY6wU5sA4dF3gH2jK1lZ0xC9vB8";
    logger.error({ err: new Error(`550 rejected http://localhost/reset-password/${token}`) }, `GET /reset-password/${token}`);
    const out = text();
    expect(out).not.toContain(token.slice(4));
    expect(out).toContain("/reset-password/prt_[redacted]");
  });

  it("leaves numbers that are not card numbers alone: timestamps, amounts, ids", () => {
    expect(maskPans("at 1795313518568 paid 1000000 ref 4242424242424241")).toBe("at 1795313518568 paid 1000000 ref 4242424242424241");
    expect(luhn("4242424242424241")).toBe(false);
  });

  it("scrubs secret-shaped tokens and this process's own secrets from error messages and stacks", () => {
    const previous = process.env.SETTLE_ENCRYPTION_KEY;
    process.env.SETTLE_ENCRYPTION_KEY = "enc-key-under-test-0123456789abcdef";
    try {
      const { logger, text, json } = capture();
      const err = new Error(`could not sign with ${WHSEC} using enc-key-under-test-0123456789abcdef`);
      logger.error({ err }, "webhooks: dispatch failed");
      logger.error(new Error(`Failed query: insert into users values ($1)\nparams: $2b$10$${"a".repeat(53)}`));
      const cause = new Error(`connect postgres://settle:hunter2@db.internal:5432/settle failed`);
      logger.error({ err: new Error("outer", { cause }) }, "boom");
      const out = text();
      expect(out).not.toContain(WHSEC);
      expect(out).not.toContain("enc-key-under-test");
      expect(out).not.toContain("$2b$10$");
      expect(out).not.toContain("hunter2");
      expect(out).toContain("whsec_[redacted]");
      expect(out).toContain("postgres://settle:[redacted]@db.internal");
      const [first] = json();
      expect(first).toMatchObject({ level: "error", err: { type: "Error" } });
      expect(String((first!.err as { stack: string }).stack)).toContain("redact.test.ts");
    } finally {
      process.env.SETTLE_ENCRYPTION_KEY = previous;
    }
  });

  it("drops the parameters a database error carries", () => {
    const { logger, text } = capture();
    const err = Object.assign(new Error("Failed query: insert into payments"), { query: "insert into payments", params: ["pay_1", `{"card":"${PAN}"}`, "s3cret"] });
    logger.error({ err }, "recording failed");
    expect(text()).not.toContain("s3cret");
    expect(text()).toContain("insert into payments");
  });

  it("scrubs interpolated arguments and child bindings", () => {
    const { logger, text } = capture();
    logger.child({ component: "auth", token: "tok-1234567" }).info("header was %s", "Bearer abc.def.ghi");
    expect(text()).not.toContain("tok-1234567");
    expect(text()).not.toContain("abc.def.ghi");
    expect(text()).toContain("Bearer [redacted]");
  });

  it("in production, console.error and console.warn (Next's own error output) become redacted JSON lines", () => {
    const { logger, json, text } = capture();
    const before = console.error;
    const restore = routeConsoleThroughLogger(logger);
    try {
      console.error(" ⨯", new Error(`render failed for ${WHSEC}`));
      console.warn("card %s looked odd", PAN);
      // A render error Next also passes to onRequestError, which logs it at error: an echo here.
      console.error(" ⨯", Object.assign(new Error("page failed"), { digest: "1234567" }));
    } finally {
      restore();
    }
    expect(text()).not.toContain(WHSEC);
    expect(text()).not.toContain(PAN);
    const [error, warn, echo] = json();
    expect(error).toMatchObject({ level: "error", source: "console", msg: " ⨯", err: { message: "render failed for whsec_[redacted]" } });
    expect(warn).toMatchObject({ level: "warn", msg: "card [card …4242] looked odd" });
    expect(echo).toMatchObject({ level: "debug", source: "console", err: { message: "page failed", digest: "1234567" } });
    expect(console.error).toBe(before);
  });

  it("stamps each line with the request being served", () => {
    const { logger, json } = capture();
    runWithRequest({ requestId: "req_test_1" }, () => logger.info("inside"));
    logger.info("outside");
    const [inside, outside] = json();
    expect(inside!.requestId).toBe("req_test_1");
    expect(outside!.requestId).toBeUndefined();
  });

  it("property: no Luhn-valid 14–19 digit number survives scrubbing, wherever it sits in text", () => {
    const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n });
    const pan = fc.integer({ min: 14, max: 19 }).chain((len) =>
      digits(len - 1).map((body) => {
        const partial = body.join("");
        const check = [...Array(10).keys()].find((d) => luhn(partial + d))!;
        return partial + check;
      }),
    );
    const filler = fc.string({ unit: fc.constantFrom("a", " ", ",", ":", "\"", "{", "x") , maxLength: 12 });
    fc.assert(
      fc.property(filler, pan, filler, (before, card, after) => {
        const out = scrubText(`${before} ${card} ${after}`, []);
        expect(out).not.toContain(card);
        expect(out).toContain(`[card …${card.slice(-4)}]`);
      }),
    );
  });
});
