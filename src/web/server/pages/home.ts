// The list of communities, newest claim last as the index keeps them, and
// "Create a community": a sign-in link, which the browser code turns into the
// form once it knows someone is signed in.
import type { CommunityView } from "../../../lexicon/types/com/atrarium/community/defs.ts";
import { HASHTAG_MEANING } from "../../shared/format.ts";
import { plural } from "../format.ts";
import { html, type SafeHtml } from "../html.ts";
import type { PageMeta } from "../layout.ts";
import { communityPath, signInPath } from "../links.ts";

export const COMMUNITIES_PER_PAGE = 20;

export interface HomePage {
  communities: CommunityView[];
  cursor?: string;
  older: boolean;
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

export function homeBody(page: HomePage): SafeHtml {
  const list =
    page.communities.length === 0
      ? html`<p class="empty">${page.older ? "No more communities." : "No communities yet: create the first one."}</p>`
      : html`<ul class="cards">${page.communities.map(communityItem)}</ul>`;
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
<section aria-labelledby="list-heading">
<h2 id="list-heading" class="visually-hidden">All communities</h2>
${list}
<nav class="pager" aria-label="Pages of communities">${page.older ? html`<a href="/">First page</a>` : ""}${
    page.cursor
      ? html`<a rel="next" href="/?${new URLSearchParams({ cursor: page.cursor }).toString()}">More communities</a>`
      : ""
  }</nav>
</section>`;
}
