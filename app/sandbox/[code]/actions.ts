"use server";

import { redirect } from "next/navigation";
import { publicFormAction } from "@/lib/actions";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log/logger";
import { runSandboxOp, sandboxActionSchema } from "@/lib/payment-services/sandbox-provider";

/**
 * The sandbox provider's buttons. Public on purpose (a sandbox stands in for a
 * provider's site), and only ever acts for a sandbox service the link offers.
 */
export const sandboxAction = publicFormAction(sandboxActionSchema, async (input, db) => {
  const lang = input.lang ? `&lang=${input.lang}` : "";
  const back = `/sandbox/${encodeURIComponent(input.code)}?service=${encodeURIComponent(input.service)}&flow=${input.flow}${lang}`;
  let problem: string | null = null;
  try {
    const { sent } = await runSandboxOp(db, input);
    if (sent && sent.status >= 300) problem = `Settle answered ${sent.status} to the notification.`;
  } catch (err) {
    problem = err instanceof AppError ? (err.fields?.amount?.[0] ?? err.message) : "The sandbox could not send the notification.";
    if (!(err instanceof AppError)) log.error({ err }, "sandbox: notification failed");
  }
  if (problem) redirect(`${back}&error=${encodeURIComponent(problem)}`);
  // Like a real provider: the customer goes back to the checkout, which shows the result.
  const method = encodeURIComponent(`${input.service}.${input.flow}`);
  redirect(`/pay/${encodeURIComponent(input.code)}?return=1&method=${method}${lang}`);
});
