/**
 * Where outgoing webhooks may go: http(s) URLs whose host resolves to public addresses only.
 * Loopback, private, link-local, carrier-grade NAT, multicast and reserved ranges are refused
 * (an admin's webhook must not become a way into the server's own network), unless
 * WEBHOOK_ALLOW_PRIVATE=1. The check runs when the webhook is registered and again at every
 * connection (the `lookup` the delivery's socket uses), so a DNS answer that changes later
 * cannot point a delivery inward.
 */
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP, type LookupFunction } from "node:net";

const refused = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
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
  refused.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b::", 96],
  ["100::", 64],
  ["2001:db8::", 32],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  refused.addSubnet(network, prefix, "ipv6");
}

/** True for an address a webhook may not be sent to (IPv4-mapped IPv6 judged as IPv4). */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return refused.check(mapped[1]!, "ipv4");
  const family = isIP(address);
  if (family === 0) return true;
  return refused.check(address, family === 4 ? "ipv4" : "ipv6");
}

export class RefusedAddress extends Error {
  constructor(readonly host: string) {
    super(`${host} resolves to a private or loopback address`);
    this.name = "RefusedAddress";
  }
}

/** The URL's host, without IPv6 brackets. */
const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, "");

/** Every address the host resolves to; throws RefusedAddress if one is private. */
export async function checkPublicHost(host: string): Promise<void> {
  const addresses = await new Promise<LookupAddress[]>((resolve, reject) =>
    dnsLookup(host, { all: true }, (error, found) => (error ? reject(error) : resolve(found))),
  );
  if (addresses.length === 0 || addresses.some((a) => isPrivateAddress(a.address))) {
    throw new RefusedAddress(host);
  }
}

/** Checks a webhook URL before it is registered: what is wrong with it, or undefined. */
export async function problemWithUrl(
  raw: string,
  allowPrivate: boolean,
): Promise<string | undefined> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "The URL is not valid.";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return "The URL must be http or https.";
  if (url.username || url.password) return "The URL must not carry credentials.";
  if (allowPrivate) return undefined;
  try {
    await checkPublicHost(hostOf(url));
    return undefined;
  } catch (error) {
    return error instanceof RefusedAddress
      ? "Webhook URLs on loopback or private addresses are refused."
      : "The URL's host does not resolve.";
  }
}

/** The `lookup` of delivery sockets: refuses private answers unless they are allowed. */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, "", 0);
      const list = addresses as LookupAddress[];
      const usable = allowPrivate ? list : list.filter((a) => !isPrivateAddress(a.address));
      if (usable.length === 0) return callback(new RefusedAddress(hostname), "", 0);
      if (options.all)
        return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, usable);
      callback(null, usable[0]!.address, usable[0]!.family);
    });
  };
}
