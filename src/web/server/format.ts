// Text shown on the pages: counts, times and people, formatted the same way everywhere.
import { html, type SafeHtml } from "./html.ts";
import { profileUrl } from "./links.ts";

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

/** A time as the server can show it (UTC); the browser rewrites it in the reader's own time zone. */
export function timeElement(iso: string | undefined): SafeHtml {
  const date = iso ? new Date(iso) : null;
  if (!date || Number.isNaN(date.getTime())) return html`<span class="time-unknown">time unknown</span>`;
  const text = `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return html`<time datetime="${date.toISOString()}">${text}</time>`;
}

/** `did:plc:abcdef…` shortened for display; the whole DID stays in the title. */
export function shortDid(did: string): string {
  return did.length > 24 ? `${did.slice(0, 20)}…` : did;
}

/** A person: `@handle` when verified, else the DID, linking to their Bluesky profile. */
export function personLink(did: string, handle: string | undefined): SafeHtml {
  return handle
    ? html`<a class="person" href="${profileUrl(handle)}">@${handle}</a>`
    : html`<a class="person" href="${profileUrl(did)}" title="${did}">${shortDid(did)}</a>`;
}
