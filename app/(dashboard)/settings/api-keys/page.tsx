import { CreateApiKey, RevokeApiKey } from "@/components/settings/api-keys";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { TableHead } from "@/components/ui/table-head";
import { TableScroll } from "@/components/ui/table-scroll";
import { getDb } from "@/db/client";
import { apiKeyAccess } from "@/lib/auth/roles";
import { listApiKeys } from "@/lib/api-keys/keys";
import { can } from "@/lib/auth/roles";
import { requireActor } from "@/lib/auth/session";
import { publicUrl } from "@/lib/env";
import { formatDateTime } from "@/lib/format/time";

export const metadata = { title: "API keys" };

export default async function ApiKeysPage() {
  const actor = await requireActor();
  const keys = await listApiKeys(await getDb(), actor.merchantId);
  const origin = publicUrl();
  const manage = can(actor.role, "apikeys.manage");

  return (
    <div className="space-y-6">
      {manage ? (
        <Card>
          <CardHeader
            title={actor.livemode ? "Create a live API key" : "Create a test API key"}
            description={
              actor.livemode
                ? "For your own servers: they call the REST API with it. A live key (sk_live_…) reaches this merchant's live data only."
                : "A test key (sk_test_…) reaches this merchant's test data only: the sandbox, where no money moves. Switch to live mode for a live key."
            }
          />
          <CreateApiKey origin={origin} />
        </Card>
      ) : null}
      <Card>
        <CardHeader
          title={actor.livemode ? "Live API keys" : "Test API keys"}
          description={manage ? "Revoking a key stops it at once." : "Only owners and admins can create or revoke API keys."}
          actions={
            <a className="text-sm font-medium text-brand-700 hover:underline dark:text-brand-300" href="/docs/api">
              API reference
            </a>
          }
        />
        {keys.length === 0 ? (
          <p className="px-5 py-10 text-center text-sm text-subtle">No API keys yet.</p>
        ) : (
          <TableScroll label="API keys table">
            <table className="min-w-full text-sm" aria-label="API keys">
              <TableHead columns={["Name", "Access", "Client ID", "Secret", "Created", "Last used", ""]} />
              <tbody className="divide-y divide-line-soft">
                {keys.map((k) => (
                  <tr key={k.id} data-key={k.clientId}>
                    <td className="px-5 py-3 font-medium text-strong">
                      {k.name} {k.revokedAt ? <Badge tone="red">Revoked</Badge> : null}
                    </td>
                    <td className="whitespace-nowrap px-5 py-3 text-muted" title={apiKeyAccess[k.role].hint}>
                      {apiKeyAccess[k.role].label}
                    </td>
                    <td className="px-5 py-3 font-mono text-xs text-muted">{k.clientId}</td>
                    <td className="px-5 py-3 font-mono text-xs text-muted">{k.prefix}…</td>
                    <td className="whitespace-nowrap px-5 py-3 text-muted">
                      {formatDateTime(k.createdAt)}
                      {k.createdByEmail ? <span className="block text-xs text-subtle">by {k.createdByEmail}</span> : null}
                    </td>
                    <td className="whitespace-nowrap px-5 py-3 text-muted">{k.lastUsedAt ? formatDateTime(k.lastUsedAt) : "Never"}</td>
                    <td className="px-5 py-3 text-right">{manage && !k.revokedAt ? <RevokeApiKey keyId={k.id} name={k.name} /> : null}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </Card>
    </div>
  );
}
