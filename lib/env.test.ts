import { describe, expect, it } from "vitest";
import { publicUrl } from "./env";

describe("publicUrl: where every absolute URL Settle builds starts", () => {
  it("is APP_URL when set, else NEXTAUTH_URL, as a bare origin", () => {
    expect(publicUrl({ NODE_ENV: "production", APP_URL: "https://pay.example.com", NEXTAUTH_URL: "https://auth.example.com" })).toBe("https://pay.example.com");
    expect(publicUrl({ NODE_ENV: "production", NEXTAUTH_URL: "https://pay.example.com/" })).toBe("https://pay.example.com");
    // next-auth allows its own path on NEXTAUTH_URL: only the origin is the app's.
    expect(publicUrl({ NODE_ENV: "production", NEXTAUTH_URL: "https://pay.example.com/api/auth" })).toBe("https://pay.example.com");
    expect(publicUrl({ NODE_ENV: "development", APP_URL: "http://127.0.0.1:3201", PORT: "3000" })).toBe("http://127.0.0.1:3201");
    expect(publicUrl({ NODE_ENV: "production", APP_URL: "HTTPS://Pay.Example.com:443" })).toBe("https://pay.example.com");
    // Empty counts as unset, as for every other variable.
    expect(publicUrl({ NODE_ENV: "production", APP_URL: "", NEXTAUTH_URL: "https://pay.example.com" })).toBe("https://pay.example.com");
  });

  it("outside production, defaults to the server's own port on localhost", () => {
    expect(publicUrl({ NODE_ENV: "development", PORT: "3000" })).toBe("http://localhost:3000");
    expect(publicUrl({ NODE_ENV: "development", PORT: "3207" })).toBe("http://localhost:3207");
    expect(publicUrl({})).toBe("http://localhost:3000");
    expect(publicUrl({ NODE_ENV: "test" })).toBe("http://localhost:3000");
    expect(publicUrl({ NODE_ENV: "development", PORT: "x; evil" })).toBe("http://localhost:3000");
  });

  it("in production with neither set, stops the server with a message naming what to set", () => {
    expect(() => publicUrl({ NODE_ENV: "production", PORT: "3000" })).toThrow(/^Settle cannot start: APP_URL is not set\. Set it \(or NEXTAUTH_URL\)/);
    expect(() => publicUrl({ NODE_ENV: "production", APP_URL: "", NEXTAUTH_URL: "" })).toThrow(/APP_URL is not set/);
  });

  it("refuses anything but an http(s) origin, naming the variable", () => {
    for (const bad of ["pay.example.com", "ftp://pay.example.com", "javascript:alert(1)", "https://pay.example.com/settle", "https://pay.example.com/?a=1", "https://user:pw@pay.example.com"]) {
      expect(() => publicUrl({ NODE_ENV: "production", APP_URL: bad }), bad).toThrow(/^Settle cannot start: invalid environment variables\n {2}APP_URL: /);
    }
    for (const bad of ["pay.example.com", "ftp://pay.example.com", "javascript:alert(1)"]) {
      expect(() => publicUrl({ NODE_ENV: "development", NEXTAUTH_URL: bad }), bad).toThrow(/^Settle cannot start: invalid environment variables\n {2}NEXTAUTH_URL: /);
    }
  });
});
