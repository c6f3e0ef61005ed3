import { describe, expect, it } from "vitest";
import { findLeaks } from "./log-leaks";

const secrets = [
  { label: "the demo password", value: "demo-password" },
  { label: "AUTH_SECRET", value: "auth-secret-with-\"quotes\"-0123456789" },
];

describe("the log leak scan (what the e2e teardown and the multi-instance test run)", () => {
  it("finds each secret the run used, also inside a JSON string, and stars it out of the report", () => {
    const log = [
      '{"level":"info","msg":"sign-in failed","email":"demo@settle.dev"}',
      '{"level":"error","err":{"message":"bad password demo-password"}}',
      `{"level":"error","msg":${JSON.stringify('secret auth-secret-with-"quotes"-0123456789')}}`,
    ].join("\n");
    const leaks = findLeaks(log, secrets);
    expect(leaks.map((l) => l.label)).toEqual(["the demo password", "AUTH_SECRET"]);
    for (const l of leaks) expect(l.line).toContain("***");
    expect(leaks.map((l) => l.line).join("\n")).not.toContain("demo-password");
  });

  it("finds secret-shaped tokens and card numbers nobody declared, and passes their redacted forms", () => {
    const log = [
      '{"msg":"revealed whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}',
      '{"msg":"service pss_0123456789abcdefABCD"}',
      '{"msg":"GET /reset-password/prt_x3Kq9-Lm2ZpQ8vR7tY6wU5sA4dF3gH2jK1lZ0xC9vB8"}',
      '{"body":"{\\"card_number\\":\\"4242 4242 4242 4242\\"}"}',
      '{"msg":"whsec_[redacted] pss_[redacted] prt_[redacted] [card …4242]","time":"2026-11-24T05:16:55.522Z","ms":1795313518568}',
    ].join("\n");
    expect(findLeaks(log, []).map((l) => l.label)).toEqual([
      "a webhook signing secret (whsec_…)",
      "a payment-service signing secret (pss_…)",
      "a password-reset token (prt_…)",
      "a card number",
    ]);
  });

  it("a clean log has no leaks", () => {
    expect(findLeaks('{"level":"info","msg":"request","status":200}\n▲ Next.js 16\n', secrets)).toEqual([]);
  });
});
