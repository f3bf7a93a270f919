// Words and numbers on the pages, formatted the same way on the server and in
// the browser: counts, people, and the one sentence that says what a
// community hashtag is for.

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

/** `did:plc:abcdef…` shortened for display; the whole DID stays in a title. */
export function shortDid(did: string): string {
  return did.length > 24 ? `${did.slice(0, 20)}…` : did;
}

/** A person as the pages name them: `@handle` when verified, else the (shortened) DID. */
export function personName(did: string, handle: string | undefined): string {
  return handle ? `@${handle}` : shortDid(did);
}

/** What a community hashtag does, said wherever one is shown. */
export const HASHTAG_MEANING = "members add it to a post to put the post in the community's feed";
