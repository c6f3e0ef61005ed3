import { Card, CardHeader } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { listAudit } from "@/lib/audit";
import { requireActor } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/format/time";
import { TableHead } from "@/components/ui/table-head";
import { TableScroll } from "@/components/ui/table-scroll";

export const metadata = { title: "Audit log" };

function describe(value: unknown): string {
  if (!value || typeof value !== "object") return "—";
  return Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
    .join(", ");
}

export default async function AuditPage() {
  const actor = await requireActor();
  const rows = await listAudit(await getDb(), { merchantId: actor.merchantId, accountId: actor.accountId, limit: 100 });
  return (
    <Card>
      <CardHeader title="Audit log" description="Who changed what, and when. The latest 100 entries." />
      {rows.length === 0 ? (
        <p className="px-5 py-10 text-center text-sm text-subtle">No changes recorded yet.</p>
      ) : (
        <TableScroll label="Audit log table">
          <table className="min-w-full text-sm">
            <TableHead columns={["When", "Who", "Action", "Before", "After"]} />
            <tbody className="divide-y divide-line-soft">
              {rows.map((r) => (
                <tr key={r.id}>
                  <td className="whitespace-nowrap px-5 py-2 text-subtle">{formatDateTime(r.createdAt)}</td>
                  <td className="px-5 py-2">{r.actorEmail ?? "system"}</td>
                  <td className="px-5 py-2 font-mono text-xs">{r.action}</td>
                  <td className="px-5 py-2 text-muted">{describe(r.before)}</td>
                  <td className="px-5 py-2 text-muted">{describe(r.after)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </Card>
  );
}
