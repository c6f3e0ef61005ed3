"use client";

import { QueryClient, QueryClientProvider, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";

interface Props {
  code: string;
  lang: string;
  version: string;
  successUrl: string | null;
}

/**
 * Polls the public status endpoint; when anything changed, asks the server
 * to re-render the page (no reload), and on paid goes to the merchant.
 * The page itself stays server-rendered: this component draws nothing.
 */
function Poller({ code, lang, version, successUrl }: Props) {
  const router = useRouter();
  const { data } = useQuery({
    queryKey: ["checkout-status", code, lang],
    queryFn: async () => {
      const res = await fetch(`/api/pay/${code}/status?lang=${lang}`, { cache: "no-store" });
      if (!res.ok) throw new Error(`status ${res.status}`);
      return (await res.json()) as { version: string };
    },
    refetchInterval: successUrl ? false : 3000,
    refetchIntervalInBackground: true,
  });
  useEffect(() => {
    if (data && data.version !== version) router.refresh();
  }, [data, version, router]);
  useEffect(() => {
    if (!successUrl) return;
    const id = setTimeout(() => window.location.assign(successUrl), 1500);
    return () => clearTimeout(id);
  }, [successUrl]);
  return null;
}

export function StatusPoller(props: Props) {
  const [client] = useState(() => new QueryClient({ defaultOptions: { queries: { retry: 1, staleTime: 0 } } }));
  return (
    <QueryClientProvider client={client}>
      <Poller {...props} />
    </QueryClientProvider>
  );
}
