// Addresses the pages link to: our own readable community URLs and the
// Bluesky app's pages for people, posts and feeds.
import { HASHTAG_PATTERN } from "../../records/hashtags.ts";

const BSKY = "https://bsky.app";

/** `/c/atr_1a2b3c4d`: a community by its hashtag, which no other community can hold. */
export function communityPath(hashtag: string): string {
  return `/c/${hashtag.replace(/^#/, "")}`;
}

/** The hashtag a `/c/<slug>` names, or null when the slug is not one. */
export function hashtagOfSlug(slug: string): string | null {
  const hashtag = `#${slug.toLowerCase()}`;
  return HASHTAG_PATTERN.test(hashtag) ? hashtag : null;
}

export const profileUrl = (actor: string) => `${BSKY}/profile/${encodeURIComponent(actor)}`;
export const postUrl = (did: string, rkey: string) => `${profileUrl(did)}/post/${encodeURIComponent(rkey)}`;
export const feedUrl = (owner: string, rkey: string) =>
  `${profileUrl(owner)}/feed/${encodeURIComponent(rkey)}`;

/** `/signin?next=/c/…`: where a sign-in returns to. */
export const signInPath = (next: string) => `/signin?${new URLSearchParams({ next })}`;
