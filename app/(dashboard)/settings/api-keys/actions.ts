"use server";

import { revalidatePath } from "next/cache";
import { commandAction } from "@/lib/actions";
import { createApiKey, revokeApiKey } from "@/lib/api-keys/keys";

export const createApiKeyAction = commandAction(createApiKey, ({ key, secret }) => {
  revalidatePath("/settings/api-keys");
  // The only time the secret leaves the server.
  return { name: key.name, clientId: key.clientId, secret };
});

export const revokeApiKeyAction = commandAction(revokeApiKey, (key) => {
  revalidatePath("/settings/api-keys");
  return { name: key.name };
});
