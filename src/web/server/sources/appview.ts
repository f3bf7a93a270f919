// Posts and handles from an AppView (APPVIEW_URL): app.bsky.feed.getPosts and
// app.bsky.actor.getProfiles take 25 each, so a page costs one or two requests.
import { xrpcGet } from "../../../net/xrpc-get.ts";
import {
  type ContentSource,
  chunks,
  type Lookup,
  PAGE_FETCH,
  type PostRecord,
  postFields,
} from "./source.ts";

const BATCH = 25;
/** The AppView's word for a handle that no longer resolves to its DID. */
const INVALID_HANDLE = "handle.invalid";

interface PostView {
  uri: string;
  cid: string;
  author: { did: string; handle: string };
  record: unknown;
}

/** Runs one request per batch and hands each key its own answer. */
function batched<T>(
  keys: string[],
  fetchBatch: (batch: string[]) => Promise<Map<string, Lookup<T>>>,
  absent: string,
): Map<string, Promise<Lookup<T>>> {
  const answers = new Map<string, Promise<Lookup<T>>>();
  for (const batch of chunks(keys, BATCH)) {
    const pending = fetchBatch(batch).catch(
      (err: unknown) =>
        new Map(batch.map((k) => [k, { failed: String(err instanceof Error ? err.message : err) }])),
    );
    for (const key of batch)
      answers.set(
        key,
        pending.then((found) => found.get(key) ?? { missing: absent }),
      );
  }
  return answers;
}

/** `allowPrivate`: local development (ALLOW_PRIVATE_PDS), where the AppView may redirect to private hosts. */
export function appviewSource(appviewUrl: string, allowPrivate: boolean): ContentSource {
  const service = new URL(appviewUrl);
  // The operator chose the AppView: its own address is not judged, where it redirects to is.
  const guard = { ...PAGE_FETCH, allowPrivate, trusted: [service.origin], what: "AppView" };
  /** One AppView query with the same parameter repeated for each value of the batch. */
  const query = async (nsid: string, param: string, batch: string[]) => {
    const answer = await xrpcGet(
      service,
      nsid,
      batch.map((value) => [param, value]),
      guard,
    );
    if (!answer.ok) throw new Error(`${service.host} answered ${answer.status}`);
    return answer.body;
  };
  return {
    posts(uris) {
      return batched<PostRecord>(
        uris,
        async (batch) => {
          const views = ((await query("app.bsky.feed.getPosts", "uris", batch)).posts ?? []) as PostView[];
          return new Map(
            views.map((view) => [
              view.uri,
              {
                found: {
                  uri: view.uri,
                  cid: view.cid,
                  ...postFields(view.record),
                  view,
                  ...(view.author.handle !== INVALID_HANDLE ? { authorHandle: view.author.handle } : {}),
                },
              },
            ]),
          );
        },
        "not found on the AppView",
      );
    },
    handles(dids) {
      return batched<string>(
        dids,
        async (batch) => {
          const body = await query("app.bsky.actor.getProfiles", "actors", batch);
          const profiles = (body.profiles ?? []) as { did: string; handle: string }[];
          return new Map(
            profiles.map((p) => [
              p.did,
              p.handle === INVALID_HANDLE ? { missing: "handle not verified" } : { found: p.handle },
            ]),
          );
        },
        "unknown to the AppView",
      );
    },
  };
}
