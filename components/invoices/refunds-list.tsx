import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { type RefundStatus, refundStatusLabels } from "@/lib/format/labels";
import { formatDateTime } from "@/lib/format/time";
import { type CurrencyCode, formatAmount } from "@/lib/money";
import { RefundCheckButton } from "./refund-check-button";

const tone: Record<RefundStatus, BadgeTone> = { pending: "blue", succeeded: "green", failed: "red" };

export interface RefundRow {
  id: string;
  amount: number;
  currency: string;
  status: RefundStatus;
  reason: string;
  manual: boolean;
  providerRef: string | null;
  failureMessage: string | null;
  requestedByEmail: string | null;
  createdAt: Date;
  /** A pending refund its gateway can be asked about: the gateway's name. */
  checkableAt: string | null;
}

/**
 * An invoice's refunds, oldest first: what went back, why, how it ended, who
 * asked and when; with `canCheck` (owners and admins), a pending gateway
 * refund has "Check status".
 */
export function RefundsList({ refunds, summary, canCheck }: { refunds: RefundRow[]; summary: string; canCheck: boolean }) {
  return (
    <Card>
      <CardHeader title="Refunds" description={summary} />
      <ul aria-label="Refunds" className="divide-y divide-line-soft">
        {refunds.map((r) => (
          <li key={r.id} className="space-y-1 px-5 py-3 text-sm" data-testid="refund">
            <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
              <span className="font-medium tabular-nums text-strong">{formatAmount(r.amount, r.currency as CurrencyCode)}</span>
              <Badge tone={tone[r.status]}>{refundStatusLabels[r.status]}</Badge>
              {r.manual ? <span className="text-xs text-subtle">Recorded by hand</span> : null}
              {r.status === "pending" && r.checkableAt ? <span className="text-xs text-subtle">Waiting for {r.checkableAt}</span> : null}
              {canCheck && r.checkableAt ? (
                <span className="ms-auto">
                  <RefundCheckButton refundId={r.id} gateway={r.checkableAt} />
                </span>
              ) : null}
            </div>
            <p className="text-body wrap-anywhere">{r.reason}</p>
            {r.status === "failed" && r.failureMessage ? <p className="text-red-700 wrap-anywhere dark:text-red-300">{r.failureMessage}</p> : null}
            <p className="text-xs text-subtle wrap-anywhere">
              {[r.requestedByEmail ? `by ${r.requestedByEmail}` : null, formatDateTime(r.createdAt), r.manual && r.providerRef ? `transfer ref ${r.providerRef}` : null]
                .filter(Boolean)
                .join(" · ")}
            </p>
          </li>
        ))}
      </ul>
    </Card>
  );
}
