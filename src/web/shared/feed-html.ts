// The feed region of a community page (`#feed`): one page of the feed, its
// pinned posts on top and marked, and the links to the other pages. The
// server renders it for every reader; the browser code renders it again for
// a member of a members-only community, whose whole feed the server cannot
// give a page it sends to anyone.
import { html, type SafeHtml } from "./html.ts";
import { communityPath, signInPath } from "./links.ts";
import type { PostView } from "./post.ts";
import { postItem } from "./post-html.ts";

/** The first posts, in view as the page opens: their images load at once. */
const POSTS_IN_VIEW = 2;

export interface FeedListing {
  hashtag: string;
  posts: PostView[];
  /** The posts the feed pins on top (skeletonReasonPin). */
  pinned: ReadonlySet<string>;
  cursor?: string;
  /** Whether this is a later page (reached through "Older posts"). */
  older: boolean;
  /** The feed is for members, and this page shows a reader who is not one its pinned posts alone. */
  pinsOnly: boolean;
}

/** What a reader of a members-only feed who is not (yet) a member is told; the browser words it for them. */
export const MEMBERS_ONLY_NOTE_ID = "members-only-note";

function empty(listing: FeedListing): SafeHtml | string {
  if (listing.pinsOnly) return "";
  return html`<p class="empty">${
    listing.older
      ? "No older posts."
      : html`No posts yet. Members' posts that carry <span class="hashtag">${listing.hashtag}</span> appear here.`
  }</p>`;
}

function membersOnlyNote(path: string): SafeHtml {
  return html`<p class="panel members-only" id="${MEMBERS_ONLY_NOTE_ID}">Only members see all of this community's posts: <a href="${signInPath(path)}">sign in</a> and join to see them.</p>`;
}

export function feedHtml(listing: FeedListing): SafeHtml {
  const path = communityPath(listing.hashtag);
  const list =
    listing.posts.length === 0
      ? empty(listing)
      : html`<ol class="posts">${listing.posts.map((p, i) =>
          postItem(p, i < POSTS_IN_VIEW ? "eager" : "lazy", listing.pinned.has(p.uri)),
        )}</ol>`;
  const pager = [
    listing.older ? html`<a href="${path}">Newest posts</a>` : "",
    listing.cursor
      ? html`<a rel="next" href="${path}?${new URLSearchParams({ cursor: listing.cursor }).toString()}">Older posts</a>`
      : "",
  ];
  return html`<div id="feed">${list}${listing.pinsOnly ? membersOnlyNote(path) : ""}<nav class="pager" aria-label="Pages of posts">${pager}</nav></div>`;
}
