import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { PaymentStatus } from "@/db/schema";

const look: Record<PaymentStatus | "void", { tone: BadgeTone; label: string }> = {
  unpaid: { tone: "yellow", label: "Unpaid" },
  partial: { tone: "blue", label: "Partial" },
  paid: { tone: "green", label: "Paid" },
  extra: { tone: "purple", label: "Extra" },
  void: { tone: "gray", label: "Void" },
};

export function InvoiceStatusBadge({ status, paymentStatus }: { status: "open" | "void"; paymentStatus: PaymentStatus }) {
  const { tone, label } = look[status === "void" ? "void" : paymentStatus];
  return <Badge tone={tone}>{label}</Badge>;
}
