import { describe, expect, it } from "vitest";
import { maskPansDeep } from "@/lib/log/redact";
import { bodyHasUnstorableText, containsUnstorableText, hasUnstorableText, storableText } from "./storable-text";

describe("text Postgres refuses", () => {
  it("finds a NUL and a lone surrogate, never a surrogate pair", () => {
    expect(hasUnstorableText("a\u0000b")).toBe(true);
    expect(hasUnstorableText("x\ud800")).toBe(true);
    expect(hasUnstorableText("\udc00x")).toBe(true);
    expect(hasUnstorableText("emoji 😀 and đồng")).toBe(false);
  });

  it("spells each one out as its JSON escape and leaves everything else alone", () => {
    expect(storableText("a\u0000b\ud800c\udfff😀")).toBe("a\\u0000b\\ud800c\\udfff😀");
    expect(storableText("plain")).toBe("plain");
  });

  it("looks inside a parsed value and a raw body's escapes, keys included", () => {
    expect(containsUnstorableText({ a: [{ b: "ok" }, { c: "no\u0000" }] })).toBe(true);
    expect(containsUnstorableText({ ["k\u0000"]: 1 })).toBe(true);
    expect(containsUnstorableText({ a: ["😀", 1, null, true] })).toBe(false);
    expect(bodyHasUnstorableText(`{"a":"\\u0000"}`)).toBe(true);
    expect(bodyHasUnstorableText(`{"a":"\\ud83d"}`)).toBe(true);
    expect(bodyHasUnstorableText(`{"a":"\\ud83d\\ude00"}`)).toBe(false);
    // An escaped backslash followed by "u0000" is six ordinary characters.
    expect(bodyHasUnstorableText(`{"a":"\\\\u0000"}`)).toBe(false);
    expect(bodyHasUnstorableText("not json \u0000")).toBe(true);
    expect(bodyHasUnstorableText("not json \\u0000")).toBe(false);
  });
});

describe("maskPansDeep", () => {
  it("masks card numbers in strings, keys and JSON numbers at any depth, and nothing else", () => {
    const masked = maskPansDeep({ a: "card 4111 1111 1111 1111", n: 5555555555554444, ["4012888888881881"]: [{ deep: "378282246310005" }], ts: 1733560000000, id: "1234567890123456" });
    expect(masked).toEqual({ a: "card [card …1111]", n: "[card …4444]", ["[card …1881]"]: [{ deep: "[card …0005]" }], ts: 1733560000000, id: "1234567890123456" });
  });

  it("keeps a key named __proto__ as a key", () => {
    const masked = maskPansDeep(JSON.parse(`{"__proto__":{"x":"4111111111111111"}}`)) as Record<string, unknown>;
    expect(Object.getPrototypeOf(masked)).toBe(Object.prototype);
    expect(Object.keys(masked)).toEqual(["__proto__"]);
  });
});
