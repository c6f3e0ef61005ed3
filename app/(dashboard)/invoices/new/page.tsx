import { redirect } from "next/navigation";
import { InvoiceForm } from "@/components/invoices/invoice-form";
import { PageHeader } from "@/components/ui/card";
import { can } from "@/lib/auth/roles";
import { requireActor } from "@/lib/auth/session";

export const metadata = { title: "New invoice" };

export default async function NewInvoicePage() {
  const actor = await requireActor();
  if (!can(actor.role, "invoices.write")) redirect("/invoices");
  return (
    <>
      <PageHeader title="New invoice" description="What your customer owes. You can share a checkout link once it is created." />
      <InvoiceForm />
    </>
  );
}
