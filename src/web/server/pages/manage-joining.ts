// The manage page's sections about who belongs: who may join and who gets
// the whole feed, and the rules (the owner changes these), the join requests
// and invitations (the owner and moderators). Rendered with the current
// values and disabled; the browser code enables what the signed-in person may
// use, and loads the requests, which only moderators may read.
import type { CommunityView } from "../../../lexicon/types/com/atrarium/community/defs.ts";
import { html, type SafeHtml } from "../../shared/html.ts";
import { MAX_RULES, RULE_GRAPHEMES } from "../../shared/limits.ts";
import { choice } from "../choice.ts";

/** Who may join and who gets the whole feed; a switch to approval asks first, in a dialog. */
export function policySection(view: CommunityView): SafeHtml {
  const join = view.joinPolicy === "approval" ? "approval" : "open";
  const visibility = view.feedVisibility === "members" ? "members" : "public";
  return html`<section aria-labelledby="policy-heading">
<h2 id="policy-heading">Joining and the feed</h2>
<form id="policy-form" class="stack">
<fieldset disabled>
<legend class="visually-hidden">Who may join and who gets the whole feed (the owner changes these)</legend>
<fieldset class="choices">
<legend>Who may join</legend>
${choice("joinPolicy", "open", join, "Anyone", "whoever joins is a member at once")}
${choice("joinPolicy", "approval", join, "People a moderator approves", "new members wait, and their posts are held, until a moderator lets them in")}
</fieldset>
<fieldset class="choices">
<legend>Who gets the whole feed</legend>
${choice("feedVisibility", "public", visibility, "Everyone", "anyone who opens the feed")}
${choice("feedVisibility", "members", visibility, "Members only", "everyone else sees the pinned posts; the posts stay public on Bluesky")}
</fieldset>
<button class="primary" type="submit">Save joining and feed</button>
</fieldset>
</form>
<dialog id="approval-dialog" aria-labelledby="approval-dialog-title" aria-describedby="approval-dialog-text">
<form method="dialog" class="stack">
<h2 id="approval-dialog-title">Switch to approval?</h2>
<p id="approval-dialog-text">New members will wait for a moderator's approval.</p>
<div class="dialog-buttons"><button type="submit" value="cancel" autofocus>Cancel</button><button type="submit" value="switch" class="primary" id="approval-confirm">Switch to approval</button></div>
</form>
</dialog>
</section>`;
}

/** The rules, one field each: the ones there are and one more to fill in. */
export function rulesFormSection(view: CommunityView): SafeHtml {
  const rules = view.rules ?? [];
  const fields = rules.length < MAX_RULES ? [...rules, ""] : rules;
  return html`<section aria-labelledby="rules-form-heading">
<h2 id="rules-form-heading">Rules</h2>
<form id="rules-form" class="stack">
<fieldset disabled>
<legend class="hint">Shown where people join, in this order: up to ${MAX_RULES} rules, each up to ${RULE_GRAPHEMES} characters. Clear a rule to remove it.</legend>
<ol class="rule-fields" id="rule-fields">${fields.map(
    (rule, i) =>
      html`<li><label class="visually-hidden" for="rule-${i + 1}">Rule ${i + 1}</label><input id="rule-${i + 1}" name="rule" type="text" value="${rule}"></li>`,
  )}</ol>
<div class="actions"><button type="button" id="add-rule"${fields.length >= MAX_RULES ? html` disabled` : ""}>Add a rule</button><button class="primary" type="submit">Save rules</button></div>
</fieldset>
</form>
</section>`;
}

/** Who waits for approval (loaded by the browser code) and invitations by handle. */
export function requestsSection(view: CommunityView): SafeHtml {
  const waiting =
    view.joinPolicy === "approval"
      ? "The people waiting for approval are shown to the owner and moderators once signed in."
      : "Anyone who joins is a member now, so no one waits for approval. Switch to approval above to choose new members.";
  return html`<section aria-labelledby="requests-heading">
<h2 id="requests-heading">Join requests</h2>
<div id="join-requests" class="log"><p class="hint">${waiting}</p></div>
<form id="invite-form" class="inline-form">
<fieldset disabled>
<legend class="hint">An invitation approves someone before they join: they count as soon as they do.</legend>
<label for="invite-handle">Invite by handle or DID</label>
<input id="invite-handle" name="actor" type="text" autocapitalize="none" spellcheck="false" placeholder="carol.bsky.social" required>
<button type="submit">Invite</button>
</fieldset>
</form>
</section>`;
}
