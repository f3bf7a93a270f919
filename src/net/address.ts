// Which hosts the Worker may contact on someone else's say-so: the PDS
// endpoint in a DID document (requestIndex, resync), every redirect hop from
// it, and the host of a did:web before its document is fetched. A DID
// document is controlled by its owner, so without this check anyone could
// point the Worker at internal addresses. Local development opts out with
// ALLOW_PRIVATE_PDS.
//
// Hosts are judged in the form the WHATWG URL parser leaves them, which
// already folds every textual IPv4 form (decimal 2130706433, octal 0177.1,
// hex 0x7f.1, short 127.1) into a dotted quad and compresses IPv6
// ([::ffff:127.0.0.1] becomes [::ffff:7f00:1]). Names are not resolved here:
// a public name that resolves to a private address is the network's to stop.

type Verdict = { ok: true; url: URL } | { ok: false; reason: string };

/** A dotted quad, as the URL parser writes IPv4 hosts. */
function ipv4(host: string): number[] | null {
  const parts = host.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return null;
  const bytes = parts.map(Number);
  return bytes.every((b) => b <= 255) ? bytes : null;
}

/** Whether an IPv4 address is anything but public unicast. */
function nonPublicIpv4([a = 0, b = 0, c = 0]: number[]): boolean {
  return (
    a === 0 || // "this network", incl. 0.0.0.0
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) || // shared address space (CGNAT)
    (a === 169 && b === 254) || // link-local
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0 && (c === 0 || c === 2)) || // IETF protocol assignments, TEST-NET-1
    (a === 192 && b === 88 && c === 99) || // 6to4 relay anycast: forwards into IPv6 (RFC 7526)
    (a === 198 && (b === 18 || b === 19)) || // benchmarking
    (a === 198 && b === 51 && c === 100) || // TEST-NET-2
    (a === 203 && b === 0 && c === 113) || // TEST-NET-3
    a >= 224 // multicast, reserved, broadcast
  );
}

/** The eight 16-bit groups of an IPv6 address (brackets off), or null. */
function ipv6Groups(text: string): number[] | null {
  let h = text.toLowerCase();
  // A trailing dotted quad (::ffff:127.0.0.1) is two groups written another way.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  if (dotted) {
    const [a = 0, b = 0, c = 0, d = 0] = ipv4(dotted[1] as string) ?? [];
    if (!ipv4(dotted[1] as string)) return null;
    h = `${h.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = h.split("::");
  if (halves.length > 2) return null;
  const parse = (s: string) =>
    s === ""
      ? []
      : s.split(":").map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? Number.parseInt(g, 16) : Number.NaN));
  const head = parse(halves[0] as string);
  const rest = halves.length === 2 ? parse(halves[1] as string) : [];
  const given = head.length + rest.length;
  if ([...head, ...rest].some(Number.isNaN)) return null;
  if (halves.length === 1 ? given !== 8 : given > 7) return null;
  return [...head, ...Array<number>(8 - given).fill(0), ...rest];
}

/**
 * Whether an IPv6 address is anything but public unicast. The forms that
 * carry an IPv4 address, or translate to one on some network's gateway
 * (SIIT, NAT64, Teredo, 6to4), are refused whatever address they carry: no
 * PDS needs them, and what they reach depends on gateways we cannot see.
 */
function nonPublicIpv6(groups: number[]): boolean {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = groups;
  const v4 = (hi: number, lo: number) => [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff];
  const zeroTo = (n: number) => groups.slice(0, n).every((g) => g === 0);
  if (zeroTo(8)) return true; // :: unspecified
  if (zeroTo(7) && g7 === 1) return true; // ::1 loopback
  if (zeroTo(5) && g5 === 0xffff) return nonPublicIpv4(v4(g6, g7)); // ::ffff:a.b.c.d, IPv4-mapped
  if (zeroTo(4) && g4 === 0xffff && g5 === 0) return true; // ::ffff:0:a.b.c.d, SIIT (RFC 7915)
  if (zeroTo(6)) return nonPublicIpv4(v4(g6, g7)); // ::a.b.c.d, IPv4-compatible (deprecated)
  if (g0 === 0x100 && g1 === 0 && g2 === 0 && g3 === 0) return true; // 100::/64 discard-only
  if (g0 === 0x64 && g1 === 0xff9b && g2 <= 1) return true; // NAT64: 64:ff9b::/96 and 64:ff9b:1::/48
  if (g0 === 0x2001 && g1 === 0) return true; // Teredo 2001::/32
  if (g0 === 0x2002) return true; // 6to4 2002::/16
  if ((g0 & 0xfe00) === 0xfc00) return true; // fc00::/7 unique local
  if ((g0 & 0xffc0) === 0xfe80) return true; // fe80::/10 link-local
  if ((g0 & 0xffc0) === 0xfec0) return true; // fec0::/10 site-local (deprecated)
  if ((g0 & 0xff00) === 0xff00) return true; // multicast
  if (g0 === 0x2001 && g1 === 0x0db8) return true; // documentation
  return false;
}

const PRIVATE_SUFFIXES = [".localhost", ".local", ".internal", ".home.arpa"];

/**
 * Loopback, private, link-local, unique-local, unspecified or otherwise not
 * public: hosts a public service must not be sent to. Takes a hostname as it
 * appears in a URL (IPv6 in brackets); IPv4 written as a number, in octal or
 * in hex counts as what it means.
 */
export function isPrivateHost(hostname: string): boolean {
  let host: string;
  try {
    // Normalise as a URL would (IPv4 number forms, IPv6 compression, case, IDNA).
    host = new URL(
      `http://${hostname.includes(":") && !hostname.startsWith("[") ? `[${hostname}]` : hostname}/`,
    ).hostname;
  } catch {
    return true; // not a host at all: nothing to send a request to
  }
  host = host.replace(/\.$/, "");
  if (host.startsWith("[")) {
    const groups = ipv6Groups(host.slice(1, -1));
    return groups === null || nonPublicIpv6(groups);
  }
  const v4 = ipv4(host);
  if (v4) return nonPublicIpv4(v4);
  // A single label (no dot) only resolves through a local search list.
  if (host === "localhost" || !host.includes(".")) return true;
  return PRIVATE_SUFFIXES.some((suffix) => host.endsWith(suffix));
}

/** The URL if the Worker may contact it on someone else's say-so, or why not. */
export function checkPublicUrl(target: string | URL, allowPrivate: boolean, what = "PDS endpoint"): Verdict {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return { ok: false, reason: `${what} is not a URL: ${String(target)}` };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return { ok: false, reason: `${what} must be http(s): ${url.href}` };
  }
  if (allowPrivate) return { ok: true, url };
  if (isPrivateHost(url.hostname)) {
    return { ok: false, reason: `refusing ${what} on a private, loopback or local address: ${url.host}` };
  }
  if (url.protocol !== "https:")
    return { ok: false, reason: `refusing ${what} over plain http: ${url.host}` };
  if (url.username || url.password)
    return { ok: false, reason: `refusing ${what} with credentials: ${url.host}` };
  return { ok: true, url };
}

/** The PDS URL if it may be contacted, or a reason why not. */
export function checkPdsEndpoint(endpoint: string, allowPrivate: boolean): Verdict {
  return checkPublicUrl(endpoint, allowPrivate);
}
