// Which hosts are this machine, and which never serve the public. Shared by
// the Worker (its configuration rules) and the command line (the doctor, the
// client's choice of fetch), so "local development" means one thing.

/** Names RFC 6761 reserves: they never resolve on the public internet. */
const RESERVED_SUFFIXES = [".test", ".localhost", ".invalid", ".example"];

function bare(hostname: string): string {
  return hostname
    .toLowerCase()
    .replace(/\.$/, "")
    .replace(/^\[|\]$/g, "");
}

/** localhost, *.localhost, 127.0.0.0/8 and ::1: this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = bare(hostname);
  return (
    host === "localhost" || host.endsWith(".localhost") || /^127(\.\d{1,3}){3}$/.test(host) || host === "::1"
  );
}

/**
 * A host of local development: this machine, or a name reserved for tests
 * (`feeds.test`). Nothing on the public internet (an AppView, a user's PDS)
 * can reach it, so the rules for public deployments do not apply.
 */
export function isLocalDevelopmentHost(hostname: string): boolean {
  const host = bare(hostname);
  return isLoopbackHost(host) || RESERVED_SUFFIXES.some((s) => host === s.slice(1) || host.endsWith(s));
}
