import Link from "next/link";
import { InvoiceForm } from "@/components/invoices/invoice-form";
import { buttonClass } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { can, roleLabels } from "@/lib/auth/roles";
import { requireActor } from "@/lib/auth/session";

export const metadata = { title: "New invoice" };

export default async function NewInvoicePage() {
  const actor = await requireActor();
  if (!can(actor.role, "invoices.write")) {
    // Said, not a silent redirect: someone who typed the URL learns why there is no form.
    return (
      <>
        <PageHeader title="New invoice" />
        <Card className="p-5" data-testid="role-refusal">
          <p className="text-sm font-medium text-strong">Your role cannot create invoices.</p>
          <p className="mt-1 text-sm text-muted">
            You are a {roleLabels[actor.role]} member here. Owners and admins create invoices; ask one of them, or to change your role.
          </p>
          <Link href="/invoices" className={buttonClass("secondary", "md", "mt-4")}>
            Back to invoices
          </Link>
        </Card>
      </>
    );
  }
  return (
    <>
      <PageHeader title="New invoice" description="What your customer owes. You can share a checkout link once it is created." />
      <InvoiceForm />
    </>
  );
}
