import { QRCodeSVG } from "qrcode.react";
import { LinkShareButtons } from "@/components/invoices/link-share-buttons";
import { Card, CardHeader } from "@/components/ui/card";
import { Input } from "@/components/ui/field";
import { formatDateTime } from "@/lib/format/time";
import type { InvoicePaymentLinks } from "@/lib/payment-links/queries";

/**
 * The invoice's open checkout link, to hand to the customer: the full URL
 * (read-only, selectable without JavaScript), Copy and Share, and a QR of it
 * to show at a counter. Nothing when no link is open.
 */
export async function CheckoutLink({ data, origin, number }: { data: Promise<InvoicePaymentLinks>; origin: string; number: string }) {
  const { links } = await data;
  const open = links.find((l) => l.status === "active");
  if (!open) return null;
  const url = `${origin}/pay/${open.code}`;
  return (
    <Card data-testid="checkout-link">
      <CardHeader title="Checkout link" description={`Send it to your customer, or let them scan it. Open until ${formatDateTime(open.expiresAt)}.`} />
      <div className="space-y-4 px-5 py-4">
        <div className="flex flex-wrap gap-2">
          <label htmlFor="checkout-link-url" className="sr-only">
            Checkout link
          </label>
          <Input id="checkout-link-url" readOnly value={url} className="w-auto min-w-0 flex-1 basis-56 font-mono" />
          <LinkShareButtons url={url} title={`Invoice ${number}`} />
        </div>
        <figure className="flex flex-col items-center gap-2">
          <div className="rounded-lg bg-white p-2 ring-1 ring-inset ring-line">
            <QRCodeSVG value={url} size={168} marginSize={1} level="M" role="img" aria-label={`QR code of the checkout link for invoice ${number}`} />
          </div>
          <figcaption className="text-xs text-subtle">Scan to open the checkout</figcaption>
        </figure>
      </div>
    </Card>
  );
}
