// What the pages' own reads do not carry: verified handles for DIDs, and
// posts as the pages show them, from the Worker's /web/hydrate (cached there,
// bounded per call, and a few calls a minute per client). What a page has
// learnt is kept while it is open, so reloading a list after each action asks
// only for what is new, often nothing. A failed read gives nothing rather
// than an error: the pages then show DIDs, and posts as unavailable.
import type { PostView } from "../shared/post.ts";

export interface Hydrated {
  handles: Record<string, string>;
  posts: PostView[];
}

/** The Worker answers at most this many DIDs and this many posts per call. */
export const HYDRATE_MAX = 50;

const handles = new Map<string, string | null>();
const posts = new Map<string, PostView>();
/** Posts the last answer could not read: shown as unavailable, and asked for again. */
const unread = new Map<string, PostView>();

async function ask(dids: string[], uris: string[]): Promise<void> {
  if (dids.length === 0 && uris.length === 0) return;
  const search = new URLSearchParams();
  for (const did of dids.slice(0, HYDRATE_MAX)) search.append("did", did);
  for (const uri of uris.slice(0, HYDRATE_MAX)) search.append("uri", uri);
  const res = await fetch(`/web/hydrate?${search}`).catch(() => null);
  if (!res?.ok) return;
  const found = (await res.json()) as Hydrated;
  // A DID the answer leaves out has no verified handle: not asked again while the page is open.
  for (const did of dids.slice(0, HYDRATE_MAX)) handles.set(did, found.handles[did] ?? null);
  for (const post of found.posts) {
    if (post.unavailable) unread.set(post.uri, post);
    else posts.set(post.uri, post);
  }
}

export async function hydrate(dids: string[], uris: string[] = []): Promise<Hydrated> {
  const wanted = [...new Set(dids)].filter((did) => did.startsWith("did:"));
  const wantedPosts = [...new Set(uris)];
  await ask(
    wanted.filter((did) => !handles.has(did)),
    wantedPosts.filter((uri) => !posts.has(uri)),
  );
  const known: Record<string, string> = {};
  for (const did of wanted) {
    const handle = handles.get(did);
    if (handle) known[did] = handle;
  }
  return {
    handles: known,
    posts: wantedPosts.flatMap((uri) => {
      const post = posts.get(uri) ?? unread.get(uri);
      return post ? [post] : [];
    }),
  };
}
