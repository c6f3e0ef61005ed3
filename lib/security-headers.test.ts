import { describe, expect, it } from "vitest";
import { BASE_POLICY, checkoutPolicy, dashboardPolicy, isCustomerPage, isPagePath, newNonce, wantsHsts, wantsSecureCookies } from "./security-headers";

const directives = (policy: string) => new Map(policy.split(/;\s*/).map((d) => [d.split(" ")[0]!, d.split(" ").slice(1)]));

describe("security headers", () => {
  it("the checkout's scripts run only with this request's nonce: no inline, no eval in production, no foreign origin", () => {
    const nonce = newNonce();
    const policy = directives(checkoutPolicy(nonce));
    expect(policy.get("script-src")).toEqual(["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"]);
    expect(policy.get("connect-src")).toEqual(["'self'"]);
    expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
    expect(policy.get("object-src")).toEqual(["'none'"]);
    expect(directives(checkoutPolicy(nonce, { dev: true })).get("script-src")).toContain("'unsafe-eval'");
  });

  it("nonces are fresh 128-bit values", () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const n of nonces) expect(Buffer.from(n, "base64")).toHaveLength(16);
  });

  it("the dashboard and everything else may not be framed", () => {
    expect(directives(BASE_POLICY).get("frame-ancestors")).toEqual(["'none'"]);
  });

  it("the strict policy is for the customer's pages only", () => {
    expect(isCustomerPage("/pay/ABCD1234")).toBe(true);
    expect(isCustomerPage("/sandbox/ABCD1234")).toBe(true);
    expect(isCustomerPage("/payment-links")).toBe(false);
    expect(isCustomerPage("/api/pay/ABCD1234/status")).toBe(false);
  });

  it("HSTS only in production over https, directly or behind a TLS-terminating proxy", () => {
    const http = new URL("http://settle.example/dashboard");
    const https = new URL("https://settle.example/dashboard");
    expect(wantsHsts({ production: true, url: https, forwardedProto: null })).toBe(true);
    expect(wantsHsts({ production: true, url: http, forwardedProto: "https" })).toBe(true);
    expect(wantsHsts({ production: true, url: http, forwardedProto: "HTTPS, http" })).toBe(true);
    expect(wantsHsts({ production: true, url: http, forwardedProto: null })).toBe(false);
    expect(wantsHsts({ production: true, url: https, forwardedProto: "http" })).toBe(false);
    expect(wantsHsts({ production: false, url: https, forwardedProto: "https" })).toBe(false);
  });

  it("the dashboard's and sign-in's scripts run only with this request's nonce too", () => {
    const nonce = newNonce();
    const policy = directives(dashboardPolicy(nonce));
    expect(policy.get("script-src")).toEqual(["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"]);
    expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
    expect(policy.get("object-src")).toEqual(["'none'"]);
    expect(directives(dashboardPolicy(nonce, { dev: true })).get("script-src")).toContain("'unsafe-eval'");
    for (const page of ["/dashboard", "/invoices", "/invoices/inv_1", "/settings/team", "/webhooks", "/login", "/signup", "/invite/tok", "/", "/pay/ABCD1234"]) {
      expect(isPagePath(page), page).toBe(true);
    }
    for (const other of ["/api/v1/invoices", "/api/auth/session", "/docs/api", "/docs/api/scalar.js", "/open/api/v1/payments"]) expect(isPagePath(other), other).toBe(false);
  });

  it("the merchant cookie is Secure when the configured URL is https, or in production behind a TLS proxy", () => {
    const at = (configuredUrl: string | undefined, production: boolean, forwardedProto: string | null) =>
      wantsSecureCookies({ configuredUrl, production, forwardedProto });
    expect(at("https://settle.example", false, null)).toBe(true);
    expect(at("https://settle.example", true, "http")).toBe(true);
    expect(at(undefined, true, "https")).toBe(true);
    expect(at(undefined, true, "HTTPS, http")).toBe(true);
    // The configured URL wins over a header; a header means nothing outside production.
    expect(at("http://127.0.0.1:3000", true, "https")).toBe(false);
    expect(at(undefined, false, "https")).toBe(false);
    expect(at(undefined, true, null)).toBe(false);
  });
});
