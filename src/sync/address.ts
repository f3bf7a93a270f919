// Which PDS endpoints requestIndex and resync may reach. A DID document is
// controlled by its owner, so without this check anyone could point the
// Worker at internal addresses. Local development opts out with ALLOW_PRIVATE_PDS.

function ipv4(host: string): number[] | null {
  const parts = host.split(".");
  if (parts.length !== 4) return null;
  const bytes = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : Number.NaN));
  return bytes.every((b) => b >= 0 && b <= 255) ? bytes : null;
}

function privateIpv4([a, b]: number[]): boolean {
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && (b as number) >= 64 && (b as number) <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && (b as number) >= 16 && (b as number) <= 31) ||
    (a === 192 && b === 168)
  );
}

function privateIpv6(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (!h.includes(":")) return false;
  if (h === "::1" || h === "::") return true;
  if (h.startsWith("fe8") || h.startsWith("fe9") || h.startsWith("fea") || h.startsWith("feb")) return true; // link-local
  if (h.startsWith("fc") || h.startsWith("fd")) return true; // unique local
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  const v4 = mapped ? ipv4(mapped[1] as string) : null;
  return v4 ? privateIpv4(v4) : false;
}

/** Loopback, private or link-local: hosts a public service must not be sent to. */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  if (
    host === "localhost" ||
    host.endsWith(".localhost") ||
    host.endsWith(".local") ||
    host.endsWith(".internal")
  ) {
    return true;
  }
  const v4 = ipv4(host);
  return v4 ? privateIpv4(v4) : privateIpv6(host);
}

/** The PDS URL if it may be contacted, or a reason why not. */
export function checkPdsEndpoint(
  endpoint: string,
  allowPrivate: boolean,
): { ok: true; url: URL } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return { ok: false, reason: `PDS endpoint is not a URL: ${endpoint}` };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return { ok: false, reason: `PDS endpoint must be http(s): ${endpoint}` };
  }
  if (!allowPrivate && (url.protocol !== "https:" || isPrivateHost(url.hostname))) {
    return { ok: false, reason: `refusing PDS endpoint on a private or non-https address: ${url.host}` };
  }
  return { ok: true, url };
}
