// What an owner sees right after "Create": what to do next. Share the link;
// add the feed in Bluesky (where the Bluesky app can reach this instance);
// how members join and post; where the community is run from.
import type { CommunityView } from "../../../lexicon/types/com/atrarium/community/defs.ts";
import { hashtagExplained } from "../../shared/format-html.ts";
import { html, type SafeHtml } from "../../shared/html.ts";
import { communityPath, managePath, startPath } from "../../shared/links.ts";
import type { PageMeta } from "../layout.ts";
import { feedPlace } from "./community.ts";

export interface StartPage {
  view: CommunityView;
  ownerHandle?: string;
}

export function startMeta(view: CommunityView): PageMeta {
  return {
    title: `${view.name} is ready`,
    description: `What to do next with ${view.name}: share it, add its feed in Bluesky, let members join.`,
    path: startPath(view.hashtag),
  };
}

export function startBody(page: StartPage, origin: string, publicInstance: boolean): SafeHtml {
  const { view } = page;
  const link = `${origin}${communityPath(view.hashtag)}`;
  const feed = feedPlace(view, page.ownerHandle, publicInstance);
  return html`<section class="start">
<p><a href="${communityPath(view.hashtag)}">← ${view.name}</a></p>
<h1>${view.name} is ready</h1>
<p>It lives in your own account: its settings, its feed record and your membership. What to do next:</p>
<ol class="steps">
<li>
<h2>Share the link</h2>
<p>Whoever opens it sees the community, its latest posts, and a button to join.</p>
<div class="copy-row">
<label class="visually-hidden" for="share-link">The community's link</label>
<input id="share-link" type="url" readonly value="${link}">
<button type="button" id="copy-link" hidden>Copy link</button>
</div>
</li>
<li>
<h2>Add this feed in Bluesky</h2>
${
  "href" in feed
    ? html`<p>Open the feed in the Bluesky app and pin it: the community's posts then sit next to your other feeds.</p>
<p><a class="button primary" href="${feed.href}">Open the feed in Bluesky</a></p>`
    : html`<p>${feed.why} Its address is <code>${feed.uri}</code>; once Atrarium runs on a public host, the feed opens in the Bluesky app.</p>`
}
</li>
<li>
<h2>How members join and post</h2>
<ul>
<li>They open the link, sign in with their Bluesky account and press Join.</li>
<li>They post from the community's page, or from any Bluesky app with the hashtag: ${hashtagExplained(view.hashtag)}.</li>
<li>You and the moderators you choose can hide posts and block accounts.</li>
</ul>
</li>
<li>
<h2>Run it</h2>
<p><a href="${managePath(view.hashtag)}">Manage the community</a>: its details, moderators and members, how it is doing, and the moderation log.</p>
</li>
</ol>
</section>`;
}
