import { describe, expect, it } from "vitest";
import { invoiceTabs } from "@/lib/invoices/schemas";
import { deliveryStatuses } from "@/lib/webhooks/filters";
import { deliveryStatusLabels, invoiceTabLabels } from "./labels";

describe("status labels", () => {
  it("words every delivery status the log can filter by", () => {
    expect(Object.keys(deliveryStatusLabels).sort()).toEqual([...deliveryStatuses].sort());
  });

  it("words every invoice tab in the list's order", () => {
    expect(invoiceTabs.map((t) => invoiceTabLabels[t])).toEqual(["All", "Unpaid", "Partial", "Paid", "Extra", "Void"]);
  });
});
