// Running a community: its details, who may join, who gets the feed, its rules
// and moderators (the owner), the join requests, its members and the
// moderation log (the owner and moderators). The public parts are rendered
// here; the controls stay disabled until the browser code knows who is signed
// in, and the log (which needs the caller's identity) is loaded by it.
import type { CommunityStats, WeekStats } from "../../../community/stats.ts";
import type { CommunityView, MemberView } from "../../../lexicon/types/com/atrarium/community/defs.ts";
import { hashtagExplained, personLink, timeElement } from "../../shared/format-html.ts";
import { html, type SafeHtml } from "../../shared/html.ts";
import { communityPath, managePath } from "../../shared/links.ts";
import { activityChart } from "../chart.ts";
import type { PageMeta } from "../layout.ts";
import { blockDialog } from "./block-dialog.ts";
import { policySection, requestsSection, rulesFormSection } from "./manage-joining.ts";

export const MEMBERS_SHOWN = 100;

export interface ManagePage {
  view: CommunityView;
  members: MemberView[];
  moreMembers: boolean;
  handles: Map<string, string>;
  stats: CommunityStats;
}

export function manageMeta(view: CommunityView): PageMeta {
  return {
    title: `Manage ${view.name}`,
    description: `Moderation and settings of ${view.name}.`,
    path: managePath(view.hashtag),
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

function weekRow(week: WeekStats, i: number): SafeHtml {
  const label = i === 0 ? "This week" : i === 1 ? "Last week" : `${i} weeks ago`;
  return html`<tr><th scope="row">${label} <span class="hint">${week.from} – ${week.to}</span></th><td>${week.posts}</td><td>${week.joins}</td><td>${week.leaves}</td><td>${week.hidden}</td></tr>`;
}

function statsSection(stats: CommunityStats): SafeHtml {
  return html`<section aria-labelledby="stats-heading" id="stats">
<h2 id="stats-heading">How it is doing</h2>
${activityChart(stats.days)}
<table class="weeks">
<caption>Week by week (whole days, UTC)</caption>
<thead><tr><th scope="col">Week</th><th scope="col">Posts</th><th scope="col">Joined</th><th scope="col">Left</th><th scope="col">Posts hidden</th></tr></thead>
<tbody>${stats.weeks.map(weekRow)}</tbody>
</table>
</section>`;
}

/** Shown by the browser code to the owner alone; deleting asks first, in a dialog. */
function deleteSection(view: CommunityView): SafeHtml {
  return html`<section id="delete-section" class="danger-zone" aria-labelledby="delete-heading" hidden>
<h2 id="delete-heading">Delete the community</h2>
<p>This deletes its settings and its feed record from your account: the feed stops, this page goes, and its hashtag ${view.hashtag} is free again. Members' posts stay in their own accounts.</p>
<button type="button" class="danger" id="delete-button">Delete this community…</button>
<dialog id="delete-dialog" aria-labelledby="delete-dialog-title">
<form method="dialog" class="stack">
<h2 id="delete-dialog-title">Delete ${view.name}?</h2>
<p>It cannot be undone: the feed stops at once for everyone who follows it.</p>
<div class="dialog-buttons"><button type="submit" value="keep" autofocus>Keep it</button><button type="submit" value="delete" class="danger">Delete the community</button></div>
</form>
</dialog>
</section>`;
}

export function manageBody(page: ManagePage): SafeHtml {
  const { view } = page;
  return html`<section class="manage">
<p><a href="${communityPath(view.hashtag)}">← ${view.name}</a></p>
<h1>Manage ${view.name}</h1>
<p id="manage-gate" class="panel">Sign in as the owner or a moderator of this community to manage it.</p>
<p class="hashtag-line">${hashtagExplained(view.hashtag)}</p>
${statsSection(page.stats)}

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

${policySection(view)}
${rulesFormSection(view)}

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

${requestsSection(view)}

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
${deleteSection(view)}
${blockDialog()}
</section>`;
}
