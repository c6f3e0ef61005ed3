import dns from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";

/** Global unicast (2000::/3): the only IPv6 block the IANA hands out for the public internet. */
const globalUnicast = ipaddr.parseCIDR("2000::/3");
/** NAT64's well-known prefix (RFC 6052): what DNS64 synthesizes for an IPv4-only host. */
const nat64 = ipaddr.parseCIDR("64:ff9b::/96");

const v4 = (hi: number, lo: number) => ipaddr.IPv4.parse(`${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`);

/**
 * The IPv4 address an IPv6 one carries to: IPv4-mapped (::ffff:a.b.c.d),
 * IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:AABB:CCDD::).
 * Such an address reaches that IPv4 host, so it is judged as that host.
 */
function embeddedIPv4(ip: ipaddr.IPv6): ipaddr.IPv4 | null {
  const p = ip.parts;
  if (ip.isIPv4MappedAddress()) return ip.toIPv4Address();
  if (p.slice(0, 6).every((x) => x === 0)) return v4(p[6]!, p[7]!);
  if (ip.match(nat64)) return v4(p[6]!, p[7]!);
  if (ip.range() === "6to4") return v4(p[1]!, p[2]!);
  return null;
}

/**
 * True when an IP literal is one a production webhook must not connect to:
 * anything that is not public unicast (ipaddr.js's special ranges: private,
 * loopback, link-local and cloud metadata, unique and site-local, CGNAT,
 * multicast, reserved, documentation, Teredo, local-use NAT64, ...), judged on
 * the IPv4 address an IPv6 form embeds. Not an IP literal: refused.
 */
export function isBlockedAddress(address: string): boolean {
  const literal = address.replace(/^\[|\]$/g, "").split("%")[0]!;
  if (!isIP(literal)) return true;
  const ip = ipaddr.parse(literal);
  if (ip.kind() === "ipv4") return ip.range() !== "unicast";
  const v6 = ip as ipaddr.IPv6;
  const range = v6.range();
  if (range === "unspecified" || range === "loopback") return true;
  const inner = embeddedIPv4(v6);
  if (inner) return inner.range() !== "unicast";
  return range !== "unicast" || !v6.match(globalUnicast);
}

export class BlockedAddressError extends Error {
  readonly code = "EWEBHOOKBLOCKED";
  constructor(host: string, address: string) {
    super(`Refused: ${host} resolves to ${address}, a private, loopback, link-local or otherwise non-public address.`);
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
  if (isIP(host) && isBlockedAddress(host)) return `Refused: ${host} is a private, loopback, link-local or otherwise non-public address.`;
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
