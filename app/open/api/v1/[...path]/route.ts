import { finanRefusal } from "@/lib/api/finan/handler";

// Any other path under /open/api/v1 answers in Finan's envelope, whatever the method.
export const dynamic = "force-dynamic";

const notFound = finanRefusal("not_found");
export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE, notFound as OPTIONS };
