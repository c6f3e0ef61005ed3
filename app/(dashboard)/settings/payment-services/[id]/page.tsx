import Link from "next/link";
import { notFound } from "next/navigation";
import { GatewayForm } from "@/components/payment-links/gateway-form";
import { ServiceForm } from "@/components/payment-links/service-form";
import { ServiceToggle } from "@/components/payment-links/service-toggle";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { can } from "@/lib/auth/roles";
import { requireActor } from "@/lib/auth/session";
import { vietnameseBanks } from "@/lib/connectors/banks";
import { AppError } from "@/lib/errors";
import { serviceKindLabels } from "@/lib/format/labels";
import { credentialNames, describeGateway, linkableGateways } from "@/lib/payment-services/gateway-view";
import { isGatewayKind } from "@/lib/payment-services/gateways";
import { getService } from "@/lib/payment-services/services";

export const metadata = { title: "Edit payment service" };

export default async function PaymentServicePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor();
  const service = await getService(await getDb(), { merchantId: actor.merchantId, id }).catch((err: unknown) => {
    if (err instanceof AppError && err.code === "not_found") notFound();
    throw err;
  });
  const manage = can(actor.role, "merchant.manage");
  const gateway = isGatewayKind(service.kind) ? linkableGateways().find((g) => g.kind === service.kind) : undefined;
  return (
    <div className="space-y-6">
      <Link href="/settings/payment-services" className="text-sm font-medium text-brand-700 dark:text-brand-400 hover:underline">
        ← Payment services
      </Link>
      <Card>
        <CardHeader
          title={service.name}
          description={
            service.kind === "sandbox"
              ? "Built in: it can only be turned on or off."
              : isGatewayKind(service.kind)
                ? describeGateway(service)
                : service.secretSealed
                ? "Notifications must be signed with the secret you gave."
                : "Notifications are unsigned: each is confirmed by a status lookup at the provider."
          }
          actions={
            <div className="flex items-center gap-2">
              <Badge tone={service.kind === "sandbox" ? "purple" : "blue"}>{serviceKindLabels[service.kind]}</Badge>
              {service.enabled ? <Badge tone="green">On</Badge> : <Badge>Off</Badge>}
              {manage ? <ServiceToggle serviceId={service.id} name={service.name} enabled={service.enabled} /> : null}
            </div>
          }
        />
        {(service.kind === "bank_transfer" || service.kind === "redirect") && manage ? (
          <ServiceForm
            banks={vietnameseBanks}
            initial={{
              id: service.id,
              kind: service.kind,
              name: service.name,
              bankBin: service.config.bankBin,
              accountNumber: service.config.accountNumber,
              accountName: service.config.accountName,
              baseUrl: service.config.baseUrl,
              signed: !!service.secretSealed,
            }}
          />
        ) : null}
        {gateway && manage ? (
          <GatewayForm
            gateway={gateway}
            initial={{ id: service.id, name: service.name, values: { ...service.config }, secretsSet: credentialNames(service) }}
          />
        ) : null}
        {isGatewayKind(service.kind) && !gateway && manage ? (
          <p className="px-5 py-4 text-sm text-subtle">This gateway&apos;s settings cannot be changed here yet; it can be turned on or off.</p>
        ) : null}
        {!manage ? <p className="px-5 py-4 text-sm text-subtle">Only owners and admins can add or change payment services.</p> : null}
      </Card>
    </div>
  );
}
