// What the pages' own reads do not carry: verified handles for DIDs, and
// posts as the pages show them, from the Worker's /web/hydrate (cached there,
// bounded per call, and a few calls a minute per client). What the tab has
// learnt is kept, so reloading a list after each action, or the next page,
// asks only for what is new, often nothing: posts while the page is open,
// handles for ten minutes in the tab's session storage. A failed read gives
// nothing rather than an error: the pages then show DIDs, and posts as
// unavailable.
import { HYDRATE_MAX } from "../shared/limits.ts";
import type { PostView } from "../shared/post.ts";

export interface Hydrated {
  handles: Record<string, string>;
  posts: PostView[];
}

const HANDLES_KEY = "atrarium:handles";
const HANDLE_TTL_MS = 10 * 60_000;
const HANDLES_KEPT = 500;

/** A DID's verified handle (null: it has none), and when that was learnt. */
type KnownHandle = { handle: string | null; at: number };

function storedHandles(): Map<string, KnownHandle> {
  try {
    const entries = JSON.parse(sessionStorage.getItem(HANDLES_KEY) ?? "[]") as [string, KnownHandle][];
    return new Map(entries.filter(([, known]) => Date.now() - known.at < HANDLE_TTL_MS));
  } catch {
    return new Map();
  }
}

const handles = storedHandles();
const posts = new Map<string, PostView>();
/** Posts the last answer could not read: shown as unavailable, and asked for again. */
const unread = new Map<string, PostView>();

function keepHandles(): void {
  try {
    sessionStorage.setItem(HANDLES_KEY, JSON.stringify([...handles].slice(-HANDLES_KEPT)));
  } catch {
    // No storage (private mode, full): the handles are kept for this page only.
  }
}

async function ask(dids: string[], uris: string[]): Promise<void> {
  if (dids.length === 0 && uris.length === 0) return;
  const search = new URLSearchParams();
  for (const did of dids.slice(0, HYDRATE_MAX)) search.append("did", did);
  for (const uri of uris.slice(0, HYDRATE_MAX)) search.append("uri", uri);
  const res = await fetch(`/web/hydrate?${search}`).catch(() => null);
  if (!res?.ok) return;
  const found = (await res.json()) as Hydrated;
  // A DID the answer leaves out has no verified handle: not asked again for a while.
  const at = Date.now();
  for (const did of dids.slice(0, HYDRATE_MAX)) handles.set(did, { handle: found.handles[did] ?? null, at });
  keepHandles();
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
    const handle = handles.get(did)?.handle;
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
