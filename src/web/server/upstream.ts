// The web pages' way out to other servers, in one place: a DID's PDS as the
// address guard accepts it (checkPdsEndpoint, inside resolvePds), the page's
// short XRPC GET, and the guard's notion of a private host. The guarded
// outbound fetch of issue 16 replaces these three imports, and nothing else
// in src/web/server changes.
export { isPrivateHost } from "../../sync/address.ts";
export { resolvePds } from "../../sync/pds.ts";
export { UnreachableError, xrpcGet } from "./sources/xrpc-get.ts";
