// Addresses the pages link to, the same on the server and in the browser: our
// own readable community URLs and the Bluesky app's pages for people, posts,
// feeds and hashtags.
import { HASHTAG_PATTERN } from "../../records/hashtags.ts";

const BSKY = "https://bsky.app";

/** `/c/atr_1a2b3c4d`: a community by its hashtag, which no other community can hold. */
export function communityPath(hashtag: string): string {
  return `/c/${hashtag.replace(/^#/, "")}`;
}

/** What to do after creating a community: `/c/atr_1a2b3c4d/start`. */
export const startPath = (hashtag: string) => `${communityPath(hashtag)}/start`;

/** Running a community: `/c/atr_1a2b3c4d/manage`. */
export const managePath = (hashtag: string) => `${communityPath(hashtag)}/manage`;

/** The hashtag a `/c/<slug>` names, or null when the slug is not one. */
export function hashtagOfSlug(slug: string): string | null {
  const hashtag = `#${slug.toLowerCase()}`;
  return HASHTAG_PATTERN.test(hashtag) ? hashtag : null;
}

export const profileUrl = (actor: string) => `${BSKY}/profile/${encodeURIComponent(actor)}`;
export const postUrl = (actor: string, rkey: string) =>
  `${profileUrl(actor)}/post/${encodeURIComponent(rkey)}`;
export const feedUrl = (owner: string, rkey: string) =>
  `${profileUrl(owner)}/feed/${encodeURIComponent(rkey)}`;
export const listUrl = (owner: string, rkey: string) =>
  `${profileUrl(owner)}/lists/${encodeURIComponent(rkey)}`;
/** A hashtag's search in the Bluesky app (`tag` without the `#`). */
export const hashtagUrl = (tag: string) => `${BSKY}/hashtag/${encodeURIComponent(tag)}`;

/** `/signin?next=/c/…`: where a sign-in returns to. */
export const signInPath = (next: string) => `/signin?${new URLSearchParams({ next })}`;
