"use client";

import { useEffect, useState } from "react";
import { useCanShare } from "./browser";

interface Props {
  /** The PNG the "Save QR image" link downloads. */
  imageUrl: string;
  fileName: string;
  title: string;
  text: string;
  className: string;
  children: React.ReactNode;
}

/**
 * Shares the QR image through the phone's share sheet (to a banking app, or
 * to another phone). Drawn only where the Web Share API exists; the image is
 * fetched ahead, so the tap itself opens the sheet (Safari wants that).
 */
export function ShareQrButton({ imageUrl, fileName, title, text, className, children }: Props) {
  const canShare = useCanShare();
  const [file, setFile] = useState<File | null>(null);
  useEffect(() => {
    if (!canShare) return;
    let live = true;
    fetch(imageUrl, { cache: "no-store" })
      .then((res) => (res.ok ? res.blob() : null))
      .then((blob) => {
        if (live && blob) setFile(new File([blob], fileName, { type: "image/png" }));
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [canShare, imageUrl, fileName]);
  if (!canShare) return null;
  const share = () => {
    const withFile = file && navigator.canShare?.({ files: [file] }) ? { files: [file] } : { url: window.location.href };
    // Closing the share sheet rejects with AbortError: nothing to say.
    navigator.share({ title, text, ...withFile }).catch(() => undefined);
  };
  return (
    <button type="button" onClick={share} className={className} data-testid="share-qr">
      {children}
    </button>
  );
}
