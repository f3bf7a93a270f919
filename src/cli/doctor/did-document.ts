// SERVICE_DID as the AppView resolves it: did.json over https on the default
// port (a did:web on a public host) or the PLC directory (a did:plc), with a
// #bsky_fg service pointing at the Worker, and #atrarium (where a user's PDS
// forwards com.atrarium.* calls), if present, pointing there too.
import { isLocalDevelopmentHost, isLoopbackHost } from "../../net/hosts.ts";
import { type Check, fail, ok } from "./checklist.ts";
import { type Answer, request, Unreachable } from "./http.ts";

/** Same origin, where localhost, 127.0.0.1 and ::1 are one machine. */
export function sameEndpoint(a: string, b: string): boolean {
  try {
    const x = new URL(a);
    const y = new URL(b);
    const sameHost = x.hostname === y.hostname || (isLoopbackHost(x.hostname) && isLoopbackHost(y.hostname));
    return x.protocol === y.protocol && x.port === y.port && sameHost && x.pathname.replace(/\/$/, "") === "";
  } catch {
    return false;
  }
}

/** Where the AppView reads a DID's document, or why it cannot. */
export function didDocumentUrl(
  did: string,
  plcUrl: string,
): { url: string } | { problem: string; fix: string } {
  if (did.startsWith("did:plc:")) return { url: `${plcUrl.replace(/\/$/, "")}/${did}` };
  if (!did.startsWith("did:web:"))
    return {
      problem: `${did} is neither a did:web nor a did:plc`,
      fix: "use the did:web of the Worker's host",
    };
  const rest = did.slice("did:web:".length);
  if (rest.includes(":"))
    return {
      problem: `${did} has a path, which atproto does not resolve`,
      fix: "use a did:web of the bare host",
    };
  const host = decodeURIComponent(rest);
  const [hostname = "", port] = host.split(":");
  const local = isLocalDevelopmentHost(hostname);
  if (port && !local) {
    return {
      problem: `${did} has a port: the AppView resolves a did:web only over https on port 443`,
      fix: `serve the Worker on port 443 and set SERVICE_DID = "did:web:${hostname}"`,
    };
  }
  return { url: `${local ? "http" : "https"}://${host}/.well-known/did.json` };
}

interface Service {
  id?: unknown;
  type?: unknown;
  serviceEndpoint?: unknown;
}

function findService(doc: { service?: unknown }, did: string, id: string): Service | undefined {
  const services = Array.isArray(doc.service) ? (doc.service as Service[]) : [];
  return services.find((s) => s.id === `#${id}` || s.id === `${did}#${id}`);
}

/** A service entry points at the Worker; `type` is checked where a caller relies on it (the AppView does). */
function checkEndpoint(service: string, id: string, found: Service, type?: string): Check {
  const checkId = `service-${id}`;
  const endpoint = typeof found.serviceEndpoint === "string" ? found.serviceEndpoint : "";
  if (type && found.type !== type)
    return fail(checkId, `#${id} has the type ${String(found.type)}, not ${type}`, `set its type to ${type}`);
  if (!sameEndpoint(endpoint, service)) {
    return fail(
      checkId,
      `#${id} points at ${endpoint || "nothing"}, but the Worker is at ${service}: ${id === "bsky_fg" ? "the AppView" : "a user's PDS"} calls ${endpoint || "nowhere"}`,
      `set PUBLIC_URL to the address the Worker is reached at (or check --service ${endpoint || "URL"})`,
    );
  }
  const { protocol, hostname, port } = new URL(endpoint);
  if (!isLocalDevelopmentHost(hostname) && (protocol !== "https:" || port)) {
    return fail(
      checkId,
      `#${id} is ${endpoint}: the AppView calls only https on the default port`,
      `serve the Worker over https on port 443 and set PUBLIC_URL = "https://${hostname}"`,
    );
  }
  return ok(checkId, `#${id} points at the Worker (${endpoint})`);
}

export async function checkDidDocument(did: string, service: string, plcUrl: string): Promise<Check[]> {
  const where = didDocumentUrl(did, plcUrl);
  if ("problem" in where) return [fail("did-document", where.problem, where.fix)];
  const unresolvable = (why: string) =>
    fail(
      "did-document",
      `${did} does not resolve: ${where.url} ${why}`,
      did.startsWith("did:web:")
        ? "the Worker serves /.well-known/did.json for SERVICE_DID: make the DID's host route to it"
        : "publish the service's DID document in the PLC directory",
    );
  let answer: Answer;
  try {
    answer = await request(where.url, { headers: { accept: "application/did+ld+json,application/json" } });
  } catch (err) {
    if (!(err instanceof Unreachable)) throw err;
    return [unresolvable(`gives no answer (${err.message})`)];
  }
  const doc = answer.json as { id?: unknown; service?: unknown } | undefined;
  if (answer.status !== 200 || !doc) return [unresolvable(`answered HTTP ${answer.status}`)];
  if (doc.id !== did) return [unresolvable(`is the document of ${String(doc.id)}`)];
  const checks = [ok("did-document", `${did} resolves (${where.url})`)];
  const feedGenerator = findService(doc, did, "bsky_fg");
  checks.push(
    feedGenerator
      ? checkEndpoint(service, "bsky_fg", feedGenerator, "BskyFeedGenerator")
      : fail(
          "service-bsky_fg",
          "the DID document has no #bsky_fg service, so the AppView cannot find the feeds",
          "the Worker's did.json has it: make the DID's host serve the Worker's /.well-known/did.json",
        ),
  );
  const proxy = findService(doc, did, "atrarium");
  if (proxy) checks.push(checkEndpoint(service, "atrarium", proxy));
  return checks;
}
