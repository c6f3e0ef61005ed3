"use client";

import { useSyncExternalStore } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";

/**
 * Copy, and Share where the device has a share sheet. Rendered only once the
 * page runs JavaScript: without it these buttons could do nothing, and the
 * link beside them is selectable as it is.
 */
const COPY = { share: false };
const SHARE = { share: true };
const never = () => () => {};

export function LinkShareButtons({ url, title }: { url: string; title: string }) {
  // Null on the server and while hydrating; then what this device can do.
  const ready = useSyncExternalStore(
    never,
    () => (typeof navigator.share === "function" ? SHARE : COPY),
    () => null,
  );
  if (!ready) return null;
  return (
    <>
      <Button
        variant="secondary"
        onClick={() =>
          void navigator.clipboard
            ?.writeText(url)
            .then(() => toast.success("Link copied"))
            .catch(() => toast.error("Could not copy: select the link and copy it instead."))
        }
      >
        Copy
      </Button>
      {ready.share ? (
        <Button variant="secondary" onClick={() => void navigator.share({ title, url }).catch(() => undefined)}>
          Share
        </Button>
      ) : null}
    </>
  );
}
