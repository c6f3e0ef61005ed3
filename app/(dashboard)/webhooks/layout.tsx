import { PageHeader } from "@/components/ui/card";
import { QueryProvider } from "@/components/webhooks/query-provider";
import { WebhookTabs } from "@/components/webhooks/webhook-tabs";

export default function WebhooksLayout({ children }: { children: React.ReactNode }) {
  return (
    <QueryProvider>
      <PageHeader title="Webhooks" description="Signed events to your systems, every attempt logged, retried on your schedule." />
      <WebhookTabs />
      <div className="mt-6">{children}</div>
    </QueryProvider>
  );
}
