import { describe, expect, it } from "vitest";
import { refundStatusEnum } from "@/db/schema";
import { eventTypes } from "@/lib/invoices/events";
import { invoiceTabs } from "@/lib/invoices/schemas";
import { deliveryStatuses } from "@/lib/webhooks/filters";
import { deliveryStatusLabels, eventLabels, invoiceTabLabels, refundStatusLabels } from "./labels";

describe("status labels", () => {
  it("words every delivery status the log can filter by", () => {
    expect(Object.keys(deliveryStatusLabels).sort()).toEqual([...deliveryStatuses].sort());
  });

  it("words every invoice tab in the list's order", () => {
    expect(invoiceTabs.map((t) => invoiceTabLabels[t])).toEqual(["All", "Unpaid", "Partial", "Paid", "Extra", "Void"]);
  });

  it("words every refund status", () => {
    expect(refundStatusEnum.enumValues.map((s) => refundStatusLabels[s])).toEqual(["Pending", "Succeeded", "Failed"]);
  });

  it("words every event type, so no timeline or activity line shows a bare type", () => {
    expect(eventTypes.filter((t) => !eventLabels[t])).toEqual([]);
    expect(eventLabels["refund.created"]).toBe("Refund requested");
    expect(eventLabels["refund.failed"]).toBe("Refund failed");
  });
});
