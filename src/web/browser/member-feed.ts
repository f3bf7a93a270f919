// The whole of a members-only feed, for a member. The server's page shows
// every reader what an anonymous one gets (the pinned posts); a member's
// browser asks for the feed as them: getFeedSkeleton through their own PDS
// (atproto-proxy), which signs a service-auth token saying who asks, so the
// Worker gives a visible member all of it. The posts are read through
// /web/hydrate and rendered by the same code as the server's page.
import type * as GetFeedSkeleton from "../../client/lexicon/types/app/bsky/feed/getFeedSkeleton.ts";
import { POSTS_PER_PAGE } from "../shared/limits.ts";
import type { Actor } from "./actions.ts";
import type { CommunityPageData } from "./config.ts";
import { Problem } from "./errors.ts";
import { hydrate } from "./hydrate.ts";
import { localizeTimes } from "./ui.ts";
import { proxied } from "./xrpc.ts";

const PIN = "app.bsky.feed.defs#skeletonReasonPin";

/**
 * A sign-in from before the app asked to read feeds as its user lacks that
 * permission, and the user's PDS refuses the call: signing in again grants it.
 */
function needsNewSignIn(err: unknown): never {
  if (err instanceof Problem && err.kind === "forbidden") {
    throw new Problem(
      "session",
      "To show you all of this members-only feed, Atrarium needs a permission your sign-in does not include yet. Sign in again to give it.",
    );
  }
  throw err;
}

/** Puts the page of the feed the address names (its `cursor`) in place of the server's, as the member gets it. */
export async function showMemberFeed(actor: Actor, community: CommunityPageData): Promise<void> {
  const region = document.getElementById("feed");
  if (!region) return;
  region.setAttribute("aria-busy", "true");
  try {
    const cursor = new URL(location.href).searchParams.get("cursor") ?? undefined;
    // The renderer loads only here: no other reader needs it in the browser.
    const [{ feedHtml }, page] = await Promise.all([
      import("../shared/feed-html.ts"),
      proxied<GetFeedSkeleton.OutputSchema>(actor.session, actor.config, "app.bsky.feed.getFeedSkeleton", {
        doing: "reading the feed",
        params: { feed: community.feed, limit: POSTS_PER_PAGE, cursor },
      }).catch(needsNewSignIn),
    ]);
    const uris = page.feed.map((item) => item.post);
    const { posts } = await hydrate([], uris);
    const markup = feedHtml({
      hashtag: community.hashtag,
      posts,
      pinned: new Set(page.feed.filter((item) => item.reason?.$type === PIN).map((item) => item.post)),
      ...(page.cursor ? { cursor: page.cursor } : {}),
      older: cursor !== undefined,
      pinsOnly: false,
    });
    const fresh = new DOMParser().parseFromString(markup.toString(), "text/html").getElementById("feed");
    if (fresh) document.getElementById("feed")?.replaceWith(document.importNode(fresh, true));
    localizeTimes();
  } finally {
    region.removeAttribute("aria-busy");
  }
}
