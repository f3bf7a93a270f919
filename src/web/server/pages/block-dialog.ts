// The question a moderator answers before blocking someone: for how long.
// A block with an end (1 day, 1 week, or until a chosen time) lets the person
// back by itself (the action's expiresAt); the posts they make while blocked
// never enter the feed. Rendered once per page for the browser code, which
// opens it from a post (community page) or a member (manage page).
import { html, type SafeHtml } from "../../shared/html.ts";
import { choice } from "../choice.ts";

export function blockDialog(): SafeHtml {
  return html`<dialog id="block-dialog" aria-labelledby="block-dialog-title">
<form method="dialog" class="stack">
<h2 id="block-dialog-title">Block <span id="block-dialog-who">this account</span>?</h2>
<p class="hint">Their posts leave the feed, and what they post while blocked never enters it.</p>
<fieldset class="choices">
<legend>For how long</legend>
${choice("block-for", "day", "week", "1 day", "")}
${choice("block-for", "week", "week", "1 week", "")}
${choice("block-for", "custom", "week", "Until a time you choose", "")}
<label for="block-until">Blocked until (your time)</label>
<input type="datetime-local" id="block-until" name="until">
${choice("block-for", "forever", "week", "Until someone unblocks them", "")}
</fieldset>
<p class="error" id="block-dialog-problem" role="alert"></p>
<div class="dialog-buttons"><button type="submit" value="cancel" formnovalidate>Cancel</button><button type="submit" value="block" class="danger">Block</button></div>
</form>
</dialog>`;
}
