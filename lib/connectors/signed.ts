import { parseNotificationBody } from "./notification-body";
import { verifySignature } from "./signature";
import type { NotificationFacts, ServiceContext, Verification } from "./types";

/**
 * The shared path of signed connectors: the signature is checked before the
 * body is even parsed (401), then the body's shape (400).
 */
export function verifySignedNotification(
  service: ServiceContext,
  request: { headers: Headers; body: string; now?: Date },
  defaultMethod: NotificationFacts["method"],
): Verification {
  if (!service.secret) return { ok: false, status: 401, message: "This service has no signing secret." };
  const check = verifySignature(service.secret, request.headers, request.body, request.now);
  if (!check.ok) return { ok: false, status: 401, message: check.message };
  const parsed = parseNotificationBody(request.body, defaultMethod);
  return parsed.ok ? { ok: true, facts: parsed.facts } : { ok: false, status: 400, message: parsed.message };
}
