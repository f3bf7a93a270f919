// Handles on the scripted public internet (test/setup/public-network.ts):
// any host under .handles.guard.test answers /.well-known/atproto-did from a
// table the test fills, and two DNS-over-HTTPS services (the Worker's default,
// cloudflare-dns.com, and doh.guard.test) answer _atproto TXT queries from
// another. Control, through the test's own fetch:
//   PUT https://script.guard.test/well-known  {handle, did}  https://<handle>/.well-known/atproto-did says did
//   PUT https://script.guard.test/dns         {handle, did}  _atproto.<handle> TXT "did=<did>"

const wellKnown = new Map<string, string>();
const txt = new Map<string, string>();

export const DOH_HOSTS = new Set(["cloudflare-dns.com", "doh.guard.test"]);

export async function scriptHandles(path: string, request: Request): Promise<Response | null> {
  const table = path === "/well-known" ? wellKnown : path === "/dns" ? txt : null;
  if (!table) return null;
  const { handle, did } = (await request.json()) as { handle: string; did: string };
  table.set(handle, did);
  return new Response(null, { status: 204 });
}

export function handleHost(url: URL): Response {
  const did = url.pathname === "/.well-known/atproto-did" ? wellKnown.get(url.hostname) : undefined;
  return did
    ? new Response(`${did}\n`, { headers: { "content-type": "text/plain" } })
    : new Response("not found", { status: 404 });
}

/** Google-flavoured DNS JSON, as @atproto-labs/handle-resolver asks for it. */
export function dnsOverHttps(url: URL): Response {
  const name = url.searchParams.get("name") ?? "";
  const did = url.searchParams.get("type") === "TXT" ? txt.get(name.replace(/^_atproto\./, "")) : undefined;
  const answer = did ? { Answer: [{ name, type: 16, TTL: 300, data: `"did=${did}"` }] } : {};
  return Response.json(
    { Status: did ? 0 : 3, ...answer },
    { headers: { "content-type": "application/dns-json" } },
  );
}
