// Times, people and hashtags as HTML, the same in the server's pages and in
// what the browser code renders. The plain words and numbers live in format.ts.
import { HASHTAG_MEANING, personName } from "./format.ts";
import { html, type SafeHtml } from "./html.ts";
import { profileUrl } from "./links.ts";

/** A time in UTC, as the server can show it; the browser rewrites it in the reader's own time zone. */
export function timeElement(iso: string | undefined): SafeHtml {
  const date = iso ? new Date(iso) : null;
  if (!date || Number.isNaN(date.getTime())) return html`<span class="time-unknown">time unknown</span>`;
  const text = `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return html`<time datetime="${date.toISOString()}">${text}</time>`;
}

/** A person: `@handle` when verified, else the DID, linking to their Bluesky profile. */
export function personLink(did: string, handle: string | undefined): SafeHtml {
  return handle
    ? html`<a class="person" href="${profileUrl(handle)}">${personName(did, handle)}</a>`
    : html`<a class="person" href="${profileUrl(did)}" title="${did}">${personName(did, handle)}</a>`;
}

/** A community hashtag with the sentence that says what it does. */
export function hashtagExplained(hashtag: string): SafeHtml {
  return html`<span class="hashtag">${hashtag}</span> <span class="hashtag-note">(${HASHTAG_MEANING})</span>`;
}
