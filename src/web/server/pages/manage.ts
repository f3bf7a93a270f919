// Running a community: its details and moderators (the owner), its members and
// the moderation log (the owner and moderators). The public parts are rendered
// here; the controls stay disabled until the browser code knows who is signed
// in, and the log (which needs the caller's identity) is loaded by it.
import type { CommunityView, MemberView } from "../../../lexicon/types/com/atrarium/community/defs.ts";
import { personLink, timeElement } from "../format.ts";
import { html, type SafeHtml } from "../html.ts";
import type { PageMeta } from "../layout.ts";
import { communityPath } from "../links.ts";

export const MEMBERS_SHOWN = 100;

export interface ManagePage {
  view: CommunityView;
  members: MemberView[];
  moreMembers: boolean;
  handles: Map<string, string>;
}

export function manageMeta(view: CommunityView): PageMeta {
  return {
    title: `Manage ${view.name}`,
    description: `Moderation and settings of ${view.name}.`,
    path: `${communityPath(view.hashtag)}/manage`,
  };
}

function memberItem(member: MemberView, handles: Map<string, string>): SafeHtml {
  return html`<li class="row" data-did="${member.did}">
<span class="row-main">${personLink(member.did, handles.get(member.did))}${member.role !== "member" ? html` <span class="badge">${member.role}</span>` : ""}</span>
<span class="row-meta">joined ${timeElement(member.joinedAt)}</span>
<span class="row-tools"></span>
</li>`;
}

function moderatorItem(did: string, view: CommunityView, handles: Map<string, string>): SafeHtml {
  return html`<li class="row" data-did="${did}">
<span class="row-main">${personLink(did, handles.get(did))}${did === view.owner ? html` <span class="badge">owner</span>` : ""}</span>
<span class="row-tools"></span>
</li>`;
}

export function manageBody(page: ManagePage): SafeHtml {
  const { view } = page;
  return html`<section class="manage">
<p><a href="${communityPath(view.hashtag)}">← ${view.name}</a></p>
<h1>Manage ${view.name}</h1>
<p id="manage-gate" class="panel">Sign in as the owner or a moderator of this community to manage it.</p>

<section aria-labelledby="details-heading">
<h2 id="details-heading">Details</h2>
<form id="details-form" class="stack">
<fieldset disabled>
<legend class="visually-hidden">Name and description (the owner changes these)</legend>
<label for="details-name">Name</label>
<input id="details-name" name="name" type="text" required maxlength="100" value="${view.name}">
<label for="details-description">Description</label>
<textarea id="details-description" name="description" rows="3" maxlength="1000">${view.description ?? ""}</textarea>
<button class="primary" type="submit">Save details</button>
</fieldset>
</form>
</section>

<section aria-labelledby="moderators-heading">
<h2 id="moderators-heading">Moderators</h2>
<ul class="rows" id="moderator-list">${[view.owner, ...view.moderators.filter((d) => d !== view.owner)].map((did) => moderatorItem(did, view, page.handles))}</ul>
<form id="add-moderator-form" class="inline-form">
<fieldset disabled>
<legend class="visually-hidden">Add a moderator (the owner does this)</legend>
<label for="moderator-handle">Handle or DID</label>
<input id="moderator-handle" name="actor" type="text" autocapitalize="none" spellcheck="false" placeholder="bob.bsky.social" required>
<button type="submit">Add moderator</button>
</fieldset>
</form>
</section>

<section aria-labelledby="members-heading">
<h2 id="members-heading">Members</h2>
${
  page.members.length === 0
    ? html`<p class="empty">No members yet.</p>`
    : html`<ul class="rows" id="member-list">${page.members.map((m) => memberItem(m, page.handles))}</ul>`
}
${page.moreMembers ? html`<p class="hint">Showing the first ${MEMBERS_SHOWN} members.</p>` : ""}
</section>

<section aria-labelledby="log-heading">
<h2 id="log-heading">Moderation log</h2>
<div id="moderation-log" class="log"><p class="hint">The log is shown to the owner and moderators once signed in.</p></div>
</section>
</section>`;
}
