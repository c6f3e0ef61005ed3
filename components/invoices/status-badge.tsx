import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { PaymentStatus } from "@/db/schema";

const look: Record<PaymentStatus | "void", { tone: BadgeTone; label: string }> = {
  unpaid: { tone: "yellow", label: "Unpaid" },
  partial: { tone: "blue", label: "Partial" },
  paid: { tone: "green", label: "Paid" },
  extra: { tone: "purple", label: "Extra" },
  void: { tone: "gray", label: "Void" },
};

/** Unpaid / partial / paid / extra, the same look for invoices and payment links. */
export function PaymentStatusBadge({ status }: { status: PaymentStatus | "void" }) {
  const { tone, label } = look[status];
  return <Badge tone={tone}>{label}</Badge>;
}

export function InvoiceStatusBadge({ status, paymentStatus }: { status: "open" | "void"; paymentStatus: PaymentStatus }) {
  return <PaymentStatusBadge status={status === "void" ? "void" : paymentStatus} />;
}
