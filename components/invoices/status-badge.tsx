import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { PaymentStatus } from "@/lib/format/labels";
import { invoiceStatusLabels, paymentStatusLabels } from "@/lib/format/labels";

const look: Record<PaymentStatus | "void", { tone: BadgeTone; label: string }> = {
  unpaid: { tone: "yellow", label: paymentStatusLabels.unpaid },
  partial: { tone: "blue", label: paymentStatusLabels.partial },
  paid: { tone: "green", label: paymentStatusLabels.paid },
  extra: { tone: "purple", label: paymentStatusLabels.extra },
  void: { tone: "gray", label: invoiceStatusLabels.void },
};

/** Unpaid / partial / paid / extra, the same look for invoices and payment links. */
export function PaymentStatusBadge({ status }: { status: PaymentStatus | "void" }) {
  const { tone, label } = look[status];
  return <Badge tone={tone}>{label}</Badge>;
}

export function InvoiceStatusBadge({ status, paymentStatus }: { status: "open" | "void"; paymentStatus: PaymentStatus }) {
  return <PaymentStatusBadge status={status === "void" ? "void" : paymentStatus} />;
}
