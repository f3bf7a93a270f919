// Who wrote a post, as the author's own PDS tells it, for pages read without
// an AppView: the display name and avatar of their app.bsky.actor.profile
// record, and the PDS address their images are read from
// (com.atproto.sync.getBlob). Only a PDS the address guard accepts is asked,
// and only its address ever becomes an image URL on a page.
import type { AppContext } from "../../context.ts";
import { xrpcGet } from "../../net/xrpc-get.ts";
import { resolvePds } from "../../sync/pds.ts";
import { blobCid } from "../shared/post.ts";
import { type Lookup, PAGE_FETCH } from "./sources/source.ts";

export interface AuthorRecord {
  /** The author's PDS, as the guard accepted it. */
  pds: string;
  displayName?: string;
  avatarCid?: string;
}

export interface AuthorSource {
  /** One pending answer per DID. */
  authors(dids: string[]): Map<string, Promise<Lookup<AuthorRecord>>>;
}

/** The address of one of a DID's blobs on its PDS. */
export function blobUrl(pds: string, did: string, cid: string): string {
  const url = new URL("/xrpc/com.atproto.sync.getBlob", pds);
  url.searchParams.set("did", did);
  url.searchParams.set("cid", cid);
  return url.href;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function pdsAuthors(ctx: AppContext): AuthorSource {
  const guard = { ...PAGE_FETCH, allowPrivate: ctx.config.allowPrivatePds, what: "PDS endpoint" };
  async function author(did: string): Promise<Lookup<AuthorRecord>> {
    try {
      const pds = await resolvePds(ctx, did);
      const answer = await xrpcGet(
        pds,
        "com.atproto.repo.getRecord",
        [
          ["repo", did],
          ["collection", "app.bsky.actor.profile"],
          ["rkey", "self"],
        ],
        guard,
      );
      // No profile record is an answer too: the author has no name or avatar.
      const profile = answer.ok ? (answer.body.value as Record<string, unknown> | undefined) : {};
      const displayName = typeof profile?.displayName === "string" ? profile.displayName.trim() : "";
      const avatarCid = blobCid(profile?.avatar);
      return {
        found: {
          pds: pds.href,
          ...(displayName ? { displayName } : {}),
          ...(avatarCid ? { avatarCid } : {}),
        },
      };
    } catch (err) {
      return { failed: message(err) };
    }
  }
  return { authors: (dids) => new Map(dids.map((did) => [did, author(did)])) };
}
