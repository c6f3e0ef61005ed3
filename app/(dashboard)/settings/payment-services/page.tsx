import Link from "next/link";
import { ServiceForm } from "@/components/payment-links/service-form";
import { ServiceToggle } from "@/components/payment-links/service-toggle";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { getDb } from "@/db/client";
import type { PaymentService } from "@/db/schema";
import { can } from "@/lib/auth/roles";
import { requireActor } from "@/lib/auth/session";
import { publicUrl } from "@/lib/env";
import { bankByBin, vietnameseBanks } from "@/lib/connectors/banks";
import { serviceKindLabels } from "@/lib/format/labels";
import { describeGateway, linkableGateways } from "@/lib/payment-services/gateway-view";
import { isGatewayKind } from "@/lib/payment-services/gateways";
import { listServices } from "@/lib/payment-services/services";

export const metadata = { title: "Payment services" };

function describe(s: PaymentService): string {
  if (s.kind === "sandbox") return "Built in: simulated QR and card flows, for trying everything end to end.";
  if (s.kind === "bank_transfer") {
    return `${bankByBin(s.config.bankBin)?.shortName ?? s.config.bankBin} · ${s.config.accountNumber} · ${s.config.accountName}`;
  }
  // A gateway: its public settings and which of its secrets are set, never their values.
  if (isGatewayKind(s.kind)) return describeGateway(s);
  return `${s.config.baseUrl} · ${s.secretSealed ? "signed callbacks" : "unsigned callbacks, confirmed by status lookup"}`;
}

export default async function PaymentServicesPage({ searchParams }: { searchParams: Promise<{ kind?: string | string[] }> }) {
  const { kind } = await searchParams;
  const actor = await requireActor();
  const gateways = linkableGateways();
  const services = await listServices(await getDb(), actor.merchantId);
  const manage = can(actor.role, "merchant.manage");
  const origin = publicUrl();
  return (
    <div className="space-y-6">
      <Card>
        <CardHeader title="Payment services" description="The ways your customers can pay. Give each provider its notification URL." />
        <ul className="divide-y divide-line-soft" aria-label="Payment services">
          {services.map((s) => (
            <li key={s.id} className="flex flex-wrap items-center justify-between gap-3 px-5 py-4">
              <div className="min-w-0 space-y-1">
                <p className="flex items-center gap-2 text-sm font-medium text-strong">
                  {s.name} <Badge tone={s.kind === "sandbox" ? "purple" : "blue"}>{serviceKindLabels[s.kind]}</Badge>
                  {s.enabled ? <Badge tone="green">On</Badge> : <Badge>Off</Badge>}
                </p>
                <p className="text-sm text-muted">{describe(s)}</p>
                <p className="break-all font-mono text-xs text-subtle">
                  Notify URL: {origin}/api/providers/{s.id}/notify
                </p>
              </div>
              {manage ? (
                <div className="flex gap-2">
                  {s.kind === "sandbox" ? null : (
                    <Link href={`/settings/payment-services/${s.id}`} className={buttonClass("secondary", "sm")} aria-label={`Edit ${s.name}`}>
                      Edit
                    </Link>
                  )}
                  <ServiceToggle serviceId={s.id} name={s.name} enabled={s.enabled} />
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      </Card>
      {manage ? (
        <Card>
          <CardHeader title="Add a payment service" description={
              gateways.length
                ? `A Vietnamese bank account (VietQR), a card / e-wallet provider with a hosted page, or a gateway: ${gateways.map((g) => g.label).join(", ")}.`
                : "A Vietnamese bank account (VietQR), or a card / e-wallet provider with a hosted page."
            }
          />
          <ServiceForm banks={vietnameseBanks} gateways={gateways} initialKind={typeof kind === "string" ? kind : undefined} />
        </Card>
      ) : (
        <p className="text-sm text-subtle">Only owners and admins can add or change payment services.</p>
      )}
    </div>
  );
}
