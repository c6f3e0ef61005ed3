import { finanHandler, finanRefusal } from "@/lib/api/finan/handler";
import { createFinanPayment, listFinanPayments } from "@/lib/api/finan/payments";

// Finan's own path: a client written for Finan's API works here with a Settle API key.
export const dynamic = "force-dynamic";

export const GET = finanHandler(listFinanPayments);
export const POST = finanHandler(createFinanPayment);
const other = finanRefusal("method_not_allowed", "GET, POST");
export { other as PUT, other as PATCH, other as DELETE };
