// The public page of one community: what it is, who runs it, and the posts its
// feed shows right now (exactly getFeedSkeleton's page, each post read from
// its author's server). Works without JavaScript; the browser code adds the
// signed-in actions in places kept for them, so nothing moves.
import type { CommunityView } from "../../../lexicon/types/com/atrarium/community/defs.ts";
import { parseRecordUri } from "../../../records/address.ts";
import type { CommunityPageData } from "../../shared/contract.ts";
import { type FeedListing, feedHtml } from "../../shared/feed-html.ts";
import { plural } from "../../shared/format.ts";
import { hashtagExplained, personLink } from "../../shared/format-html.ts";
import { html, type SafeHtml } from "../../shared/html.ts";
import { communityPath, feedUrl, signInPath } from "../../shared/links.ts";
import type { PageMeta } from "../layout.ts";
import { blockDialog } from "./block-dialog.ts";

export interface CommunityPage extends Omit<FeedListing, "hashtag"> {
  view: CommunityView;
  handles: Map<string, string>;
}

export function communityPageData(view: CommunityView): CommunityPageData {
  return {
    uri: view.uri,
    owner: view.owner,
    rkey: parseRecordUri(view.uri)?.rkey ?? "",
    name: view.name,
    ...(view.description ? { description: view.description } : {}),
    hashtag: view.hashtag,
    moderators: view.moderators,
    path: communityPath(view.hashtag),
    feed: view.feed,
    joinPolicy: view.joinPolicy === "approval" ? "approval" : "open",
    feedVisibility: view.feedVisibility === "members" ? "members" : "public",
  };
}

/** One line that says what the community is, for search results and link cards. */
export function communitySummary(view: CommunityView): string {
  const counts = `${plural(view.memberCount, "member")} · ${plural(view.postCount, "post")} this week · ${view.hashtag}`;
  return view.description ? `${view.description} — ${counts}` : `A community on Bluesky — ${counts}`;
}

export function communityMeta(view: CommunityView): PageMeta {
  return { title: view.name, description: communitySummary(view), path: communityPath(view.hashtag) };
}

function moderatorList(view: CommunityView, handles: Map<string, string>): SafeHtml {
  const others = view.moderators.filter((did) => did !== view.owner);
  const people = [view.owner, ...others].map(
    (did) => html`<li>${personLink(did, handles.get(did))}${did === view.owner ? " (owner)" : ""}</li>`,
  );
  return html`<ul class="inline-list">${people}</ul>`;
}

// The config's stage (theme, community, graduated) changes nothing yet, so it is not shown.
export function communityFacts(view: CommunityView): SafeHtml {
  return html`<ul class="facts" id="facts">
<li>${plural(view.memberCount, "member")}</li>
<li>${plural(view.postCount, "post")} this week</li>
</ul>`;
}

/**
 * Where to find the feed: in the Bluesky app when this instance is public,
 * else its at:// URI (the Bluesky app cannot reach a local instance).
 */
export function feedPlace(view: CommunityView, ownerHandle: string | undefined, publicInstance: boolean) {
  const rkey = parseRecordUri(view.uri)?.rkey ?? "";
  return publicInstance
    ? { href: feedUrl(ownerHandle ?? view.owner, rkey) }
    : { uri: view.feed, why: "This Atrarium runs locally, so the Bluesky app cannot reach its feed." };
}

/** The community's rules, where people join (the config's, in its order). */
export function rulesSection(view: CommunityView): SafeHtml | string {
  if (!view.rules?.length) return "";
  return html`<section class="rules" aria-labelledby="rules-heading">
<h2 id="rules-heading">Rules</h2>
<ol id="rules">${view.rules.map((rule) => html`<li>${rule}</li>`)}</ol>
</section>`;
}

/** What joining means here and who gets the feed, when either is not the open default. */
function policyNotes(view: CommunityView): SafeHtml | string {
  const notes = [
    view.joinPolicy === "approval"
      ? "Moderators approve new members: after you join, your posts wait until they let you in."
      : "",
    view.feedVisibility === "members"
      ? "The feed is for members: everyone else sees its pinned posts. (The posts themselves stay public on Bluesky.)"
      : "",
  ].filter((note) => note !== "");
  if (notes.length === 0) return "";
  return html`<ul class="policies" id="policies">${notes.map((note) => html`<li>${note}</li>`)}</ul>`;
}

/** The word on the Join control: a community that approves its members is asked to join. */
export const joinLabel = (view: Pick<CommunityView, "joinPolicy">) =>
  view.joinPolicy === "approval" ? "Ask to join" : "Join";

export function communityBody(page: CommunityPage, publicInstance: boolean): SafeHtml {
  const { view } = page;
  const path = communityPath(view.hashtag);
  const feed = feedPlace(view, page.handles.get(view.owner), publicInstance);
  return html`<article class="community">
<header class="community-head">
<h1>${view.name}</h1>
${view.description ? html`<p class="description">${view.description}</p>` : ""}
<p class="hashtag-line">${hashtagExplained(view.hashtag)}</p>
${communityFacts(view)}
<div class="moderated-by"><span>Moderated by</span> ${moderatorList(view, page.handles)}</div>
${policyNotes(view)}
${rulesSection(view)}
<div class="actions" id="community-actions">
<a class="button primary" id="join-button" href="${signInPath(path)}">${joinLabel(view)}</a>
${"href" in feed ? html`<a class="button" href="${feed.href}">Open in Bluesky</a>` : ""}
</div>
${"uri" in feed ? html`<p class="hint feed-address">${feed.why} Its feed is <code>${feed.uri}</code>.</p>` : ""}
</header>
<section class="panel" aria-label="Write a post">
<form id="composer" class="stack">
<p class="note" id="composer-note">Members post by adding <span class="hashtag">${view.hashtag}</span> to their Bluesky posts. <a href="${signInPath(path)}">Sign in</a> to join and post from here.</p>
<fieldset disabled>
<legend class="visually-hidden">A post to ${view.name}</legend>
<label for="post-text">Your post (${view.hashtag} is added)</label>
<textarea id="post-text" name="text" rows="3"></textarea>
<div class="composer-foot"><span id="post-room" class="hint" aria-live="polite"></span><button class="primary" type="submit">Post</button></div>
</fieldset>
</form>
</section>
<section aria-labelledby="posts-heading">
<h2 id="posts-heading">${page.older ? "Older posts" : "Latest posts"}</h2>
${feedHtml({ ...page, hashtag: view.hashtag })}
</section>
${blockDialog()}
</article>`;
}
