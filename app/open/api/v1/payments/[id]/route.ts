import { finanHandler, finanRefusal } from "@/lib/api/finan/handler";
import { getFinanPayment } from "@/lib/api/finan/payments";

export const dynamic = "force-dynamic";

export const GET = finanHandler(getFinanPayment);
const other = finanRefusal("method_not_allowed", "GET");
export { other as POST, other as PUT, other as PATCH, other as DELETE };
