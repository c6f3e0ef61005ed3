import { describe, expect, it } from "vitest";
import { endpointName } from "./filters";

describe("endpointName", () => {
  it("is the endpoint's description when it has one", () => {
    expect(endpointName({ url: "https://erp.example.com/hooks/settle?tenant=42", description: "Order system" })).toBe("Order system");
  });

  it("is the URL's host without one, port included", () => {
    expect(endpointName({ url: "https://erp.example.com/hooks/settle?tenant=42", description: null })).toBe("erp.example.com");
    expect(endpointName({ url: "http://127.0.0.1:4321/webhooks", description: "" })).toBe("127.0.0.1:4321");
  });

  it("says so when the delivery has no endpoint", () => {
    expect(endpointName({ url: null, description: null })).toBe("—");
  });
});
