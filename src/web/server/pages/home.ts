// The list of communities, newest claim last as the index keeps them, and
// "Create a community": a sign-in link, which the browser code turns into the
// form once it knows someone is signed in. For a viewer (the signed-in person,
// named in the address: it only orders the list, memberships are public
// records), their own communities come first. A name search and the pages work
// without JavaScript (plain GET links and forms).
import type { CommunityView } from "../../../lexicon/types/com/atrarium/community/defs.ts";
import { HASHTAG_MEANING, plural } from "../../shared/format.ts";
import { html, type SafeHtml } from "../../shared/html.ts";
import type { PageMeta } from "../layout.ts";
import { communityPath, signInPath } from "../links.ts";

export const COMMUNITIES_PER_PAGE = 20;
/** The longest search the page takes (a community name is at most 100 graphemes). */
export const SEARCH_MAX_LENGTH = 100;

export interface HomePage {
  /** The viewer's own communities on this page (member or moderator), first. */
  mine: CommunityView[];
  /** The others on this page. */
  others: CommunityView[];
  cursor?: string;
  older: boolean;
  /** What the list is narrowed to (words in the name or hashtag). */
  search?: string;
  /** Whose communities come first (a DID), carried by the search and the pages. */
  viewer?: string;
}

/** `/?…`: the home page with its search and viewer (and a cursor for a later page). */
export function homePath(page: Pick<HomePage, "search" | "viewer">, cursor?: string): string {
  const query = new URLSearchParams({
    ...(page.search ? { q: page.search } : {}),
    ...(page.viewer ? { viewer: page.viewer } : {}),
    ...(cursor ? { cursor } : {}),
  }).toString();
  return query ? `/?${query}` : "/";
}

export const homeMeta: PageMeta = {
  title: "Atrarium",
  description:
    "Members-only community feeds on Bluesky. Join a community, post with its hashtag, and read its feed in the Bluesky app.",
  path: "/",
};

function communityItem(view: CommunityView): SafeHtml {
  return html`<li class="card">
<h2><a href="${communityPath(view.hashtag)}">${view.name}</a></h2>
${view.description ? html`<p class="description">${view.description}</p>` : ""}
<p class="card-facts">${plural(view.memberCount, "member")} · ${plural(view.postCount, "post")} this week · <span class="hashtag">${view.hashtag}</span></p>
</li>`;
}

/** Shown to signed-in people only (the browser code puts it in place of the sign-in link). */
const createForm = html`<form id="create-form" class="stack">
<label for="community-name">Name</label>
<input id="community-name" name="name" type="text" required maxlength="100">
<label for="community-description">Description (optional)</label>
<textarea id="community-description" name="description" rows="2" maxlength="1000"></textarea>
<button class="primary" type="submit">Create community</button>
</form>`;

function emptyList(page: HomePage): SafeHtml {
  if (page.search)
    return html`<p class="empty">No community's name or hashtag contains “${page.search}”.</p>`;
  return html`<p class="empty">${page.older ? "No more communities." : "No communities yet: create the first one."}</p>`;
}

function searchForm(page: HomePage): SafeHtml {
  return html`<form class="inline-form" role="search" method="get" action="/">
<fieldset>
<label for="community-search">Find a community</label>
<input id="community-search" name="q" type="search" maxlength="${SEARCH_MAX_LENGTH}" value="${page.search ?? ""}" placeholder="Words in its name or hashtag">
${page.viewer ? html`<input type="hidden" name="viewer" value="${page.viewer}">` : ""}
<button type="submit">Search</button>
</fieldset>
</form>`;
}

/** The viewer's communities under their own heading, then the others; one list when there are none of theirs. */
function communityLists(page: HomePage): SafeHtml {
  if (page.mine.length === 0 && page.others.length === 0) return emptyList(page);
  const cards = (views: CommunityView[]) => html`<ul class="cards">${views.map(communityItem)}</ul>`;
  if (page.mine.length === 0) return cards(page.others);
  return html`<h2 id="mine-heading">Your communities</h2>
${cards(page.mine)}
${page.others.length > 0 ? html`<h2 id="others-heading">Other communities</h2>${cards(page.others)}` : ""}`;
}

export function homeBody(page: HomePage): SafeHtml {
  const list = communityLists(page);
  return html`<section class="intro">
<h1>Communities</h1>
<p>Each community is a feed in the Bluesky app, moderated by the people who run it. Your posts and memberships stay in your own account.</p>
<p>Each community has its own hashtag, like <span class="hashtag">#atr_1a2b3c4d</span>: ${HASHTAG_MEANING}.</p>
</section>
<section class="panel stack" aria-labelledby="create-heading">
<h2 id="create-heading">Create a community</h2>
<p class="note" id="create-note">It lives in your own account: its settings, its feed record and your membership.</p>
<p id="create-signin"><a class="button primary" href="${signInPath("/")}">Sign in to create a community</a></p>
<template id="create-form-template">${createForm}</template>
</section>
<section id="communities" aria-labelledby="list-heading">
<h2 id="list-heading" class="visually-hidden">All communities</h2>
${searchForm(page)}
${list}
<nav class="pager" aria-label="Pages of communities">${page.older ? html`<a href="${homePath(page)}">First page</a>` : ""}${
    page.cursor ? html`<a rel="next" href="${homePath(page, page.cursor)}">More communities</a>` : ""
  }</nav>
</section>`;
}
