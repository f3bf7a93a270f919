// Stands in for @atproto-labs/fetch-node inside the Worker. That package wraps
// Node's undici, which cannot load in workerd; @atproto/identity imports it
// only to build its default fetch, and Atrarium always passes its own fetch
// (see src/auth/service.ts), so the default is never built here.
export function safeFetchWrap(): never {
  throw new Error("@atproto-labs/fetch-node is not available in the Worker: pass a fetch to IdResolver");
}
