import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { PaymentStatus } from "@/lib/format/labels";
import { invoiceStatusLabels, paymentStatusLabels } from "@/lib/format/labels";
import { isOverdue } from "@/lib/invoices/due";

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

/** The invoice's payment status, and "Overdue" beside it while it still owes after its due date. */
export function InvoiceStatusBadge({ status, paymentStatus, dueDate = null }: { status: "open" | "void"; paymentStatus: PaymentStatus; dueDate?: string | null }) {
  return (
    <span className="inline-flex flex-wrap items-center gap-1">
      <PaymentStatusBadge status={status === "void" ? "void" : paymentStatus} />
      {isOverdue({ status, paymentStatus, dueDate }) ? <Badge tone="red">Overdue</Badge> : null}
    </span>
  );
}
