import { describe, expect, it } from "vitest";
import { devAuthUrl } from "./env";

describe("devAuthUrl", () => {
  it("defaults next-auth's URL to the dev server's port on localhost", () => {
    expect(devAuthUrl({ NODE_ENV: "development", PORT: "3000" })).toBe("http://localhost:3000");
    expect(devAuthUrl({ NODE_ENV: "development", PORT: "3207" })).toBe("http://localhost:3207");
    expect(devAuthUrl({})).toBe("http://localhost:3000");
    expect(devAuthUrl({ NODE_ENV: "development", PORT: "x; evil" })).toBe("http://localhost:3000");
  });

  it("keeps a configured URL, and never invents one outside development", () => {
    expect(devAuthUrl({ NODE_ENV: "development", NEXTAUTH_URL: "https://pay.example" })).toBeUndefined();
    expect(devAuthUrl({ NODE_ENV: "production", PORT: "3000" })).toBeUndefined();
    expect(devAuthUrl({ NODE_ENV: "test" })).toBeUndefined();
  });
});
