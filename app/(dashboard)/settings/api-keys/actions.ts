"use server";

import { revalidatePath } from "next/cache";
import { authorizedAction } from "@/lib/actions";
import { createApiKey, createApiKeySchema, revokeApiKey, revokeApiKeySchema } from "@/lib/api/keys";

export const createApiKeyAction = authorizedAction(createApiKeySchema, "apikeys.manage", async (input, { db, actor }) => {
  const { key, secret } = await createApiKey(db, actor, input);
  revalidatePath("/settings/api-keys");
  // The only time the secret leaves the server.
  return { name: key.name, clientId: key.clientId, secret };
});

export const revokeApiKeyAction = authorizedAction(revokeApiKeySchema, "apikeys.manage", async (input, { db, actor }) => {
  const key = await revokeApiKey(db, actor, input);
  revalidatePath("/settings/api-keys");
  return { name: key.name };
});
