import { parseNotificationBody } from "./notification-body";
import { getProviderJson } from "./provider-http";
import { verifySignedNotification } from "./signed";
import type { Connector, NotificationFacts, ServiceContext } from "./types";

function lookupRef(body: string): string | null {
  try {
    const json = JSON.parse(body) as Record<string, unknown>;
    for (const key of ["id", "reference", "transaction_id", "invoice_id"]) {
      const v = json?.[key];
      if (typeof v === "string" && v.trim() && v.length <= 200) return v.trim();
    }
  } catch {
    // not JSON: refused below
  }
  return null;
}

/**
 * A card / e-wallet provider with a hosted page. With a signing secret its
 * callbacks are trusted once verified; without one (like iPint's) a callback
 * is only a hint, and the payment is recorded from `fetchStatus`.
 */
export const redirectConnector: Connector = {
  kind: "redirect",
  flows: (service) => (service.config.baseUrl ? ["redirect"] : []),
  createPayment(service, link, _flow, origin) {
    const url = new URL("pay", service.config.baseUrl!.replace(/\/?$/, "/"));
    url.searchParams.set("reference", link.code);
    url.searchParams.set("amount", String(link.due));
    url.searchParams.set("currency", link.currency);
    const lang = link.locale ? `&lang=${encodeURIComponent(link.locale)}` : "";
    url.searchParams.set("return_url", `${origin}/pay/${link.code}?return=1&method=${service.id}.redirect${lang}`);
    url.searchParams.set("notify_url", `${origin}/api/providers/${service.id}/notify`);
    return { kind: "redirect", url: url.toString() };
  },
  verifyNotification(service, request) {
    if (service.secret) return verifySignedNotification(service, request, "card");
    const ref = lookupRef(request.body);
    return ref ? { ok: true, lookup: ref } : { ok: false, status: 400, message: "The callback names no transaction (id or reference)." };
  },
  async fetchStatus(service: ServiceContext, providerRef: string): Promise<NotificationFacts> {
    const url = new URL(`payments/${encodeURIComponent(providerRef)}`, service.config.baseUrl!.replace(/\/?$/, "/"));
    const res = await getProviderJson(url);
    if (res.status < 200 || res.status > 299) throw new Error(`The provider answered ${res.status} for transaction ${providerRef}.`);
    const parsed = parseNotificationBody(res.body, "card");
    if (!parsed.ok) throw new Error(`The provider's status is not understood: ${parsed.message}`);
    return parsed.facts;
  },
};
