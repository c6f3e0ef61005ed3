import dns from "node:dns";
import { BlockList, isIP, type LookupFunction } from "node:net";

/** Addresses a webhook must never reach in production: private, loopback, link-local (cloud metadata), and the like. */
const blocked = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, 169.254.169.254 metadata
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  blocked.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b::", 96], // NAT64 of any IPv4, private included
  ["100::", 64],
  ["2001:db8::", 32],
  ["fc00::", 7], // unique local, fd00:ec2::254 metadata
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  blocked.addSubnet(net, prefix, "ipv6");
}

/** True when an IP literal is one a production webhook must not connect to. */
export function isBlockedAddress(address: string): boolean {
  const ip = address.replace(/^\[|\]$/g, "").split("%")[0]!;
  const family = isIP(ip);
  if (family === 4) return blocked.check(ip, "ipv4");
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
    if (mapped) return blocked.check(mapped[1]!, "ipv4");
    return blocked.check(ip, "ipv6");
  }
  return true;
}

export class BlockedAddressError extends Error {
  readonly code = "EWEBHOOKBLOCKED";
  constructor(host: string, address: string) {
    super(`Refused: ${host} resolves to ${address}, a private, loopback or link-local address.`);
    this.name = "BlockedAddressError";
  }
}

type Resolver = (hostname: string) => Promise<Array<{ address: string; family: number }>>;
const systemResolver: Resolver = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/**
 * A `lookup` for net.connect (undici's `connect.lookup`): resolves, then
 * refuses if any resolved address is blocked. The check is on the addresses
 * the socket will actually connect to, so DNS rebinding cannot slip past it.
 */
export function guardedLookup(resolve: Resolver = systemResolver): LookupFunction {
  return ((hostname: string, options: dns.LookupOptions, callback: (...args: unknown[]) => void) => {
    resolve(hostname).then(
      (all) => {
        const wanted = options.family === 4 || options.family === 6 ? all.filter((a) => a.family === options.family) : all;
        const bad = wanted.find((a) => isBlockedAddress(a.address));
        if (bad) return callback(new BlockedAddressError(hostname, bad.address));
        if (!wanted.length) return callback(Object.assign(new Error(`No address for ${hostname}`), { code: "ENOTFOUND" }));
        if (options.all) return callback(null, wanted);
        callback(null, wanted[0]!.address, wanted[0]!.family);
      },
      (err) => callback(err),
    );
  }) as LookupFunction;
}

/**
 * Checks a URL before any socket exists: an IP literal never goes through
 * `lookup`, so it is judged here. Names are judged at connect time.
 */
export function checkUrlTarget(url: URL): string | null {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) && isBlockedAddress(host)) return `Refused: ${host} is a private, loopback or link-local address.`;
  if (host === "localhost" || host.endsWith(".localhost")) return `Refused: ${host} is a loopback name.`;
  return null;
}

/**
 * The outgoing-request rule in production, before any socket: https only, and
 * not an address or name this module refuses (the connected address is judged
 * again by guardedLookup). Why it is refused, or null. Webhooks and provider
 * status lookups share it.
 */
export function refusedTarget(url: URL): string | null {
  return url.protocol !== "https:" ? "Refused: only https URLs are allowed." : checkUrlTarget(url);
}
