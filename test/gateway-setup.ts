import { afterAll, beforeAll } from "vitest";
import { z } from "zod";
import { connectors } from "@/lib/connectors";
import type { ConnectorSetup } from "@/lib/connectors/types";
import type { GatewayKind } from "@/lib/payment-services/gateways";

/**
 * A settings form for tests of linking a gateway, independent of any real
 * connector's fields: a public account id and base URL, a secret API key, and
 * an optional secret webhook key. Installed on one gateway connector only for
 * the tests that ask for it (never in product code), then put back as it was.
 */
export const testSetup: ConnectorSetup = {
  label: "Test Gateway",
  description: "A gateway set up only in tests.",
  fields: [
    { name: "accountId", label: "Account ID", placeholder: "ACC-1234" },
    { name: "apiBaseUrl", label: "API base URL", type: "url", optional: true },
    { name: "apiKey", label: "API key", secret: true },
    { name: "webhookKey", label: "Webhook key", secret: true, optional: true },
    // Named as a bank transfer's field is: the API must still call it account_number, not bank.account_number.
    { name: "accountNumber", label: "Settlement account", optional: true },
  ],
  schema: z.object({
    accountId: z.string({ error: "Enter the account ID." }).regex(/^ACC-\d{4}$/, "An account ID looks like ACC-1234."),
    apiBaseUrl: z.url({ error: "Enter the API's URL." }).optional(),
    apiKey: z.string({ error: "Enter the API key." }).min(12, "An API key has at least 12 characters."),
    webhookKey: z.string().min(8, "A webhook key has at least 8 characters.").optional(),
    accountNumber: z.string().regex(/^\d{6,19}$/, "A settlement account is 6 to 19 digits.").optional(),
  }),
};

/** The gateway the tests link: FuratPay, whose connector's own setup (if it has landed) is set aside meanwhile. */
export const testGatewayKind: GatewayKind = "furatpay";

/** Installs `testSetup` on the test gateway's connector for the tests of this file. */
export function useTestGateway(kind: GatewayKind = testGatewayKind) {
  const connector = connectors[kind];
  let saved: ConnectorSetup | undefined;
  beforeAll(() => {
    saved = connector.setup;
    connector.setup = testSetup;
  });
  afterAll(() => {
    if (saved) connector.setup = saved;
    else delete connector.setup;
  });
  return { kind, setup: testSetup };
}
