// What a reader sees for an address that names no community (yet).
import { html, type SafeHtml } from "../../shared/html.ts";
import type { PageMeta } from "../layout.ts";

export function notFoundMeta(path: string): PageMeta {
  return { title: "Not found", description: "This page does not exist.", path };
}

export function notFoundBody(what: string): SafeHtml {
  return html`<section class="notice">
<h1>Not found</h1>
<p>${what}</p>
<p>A community that was just created shows here within a few seconds, once the index has read it.</p>
<p><a href="/">See all communities</a></p>
</section>`;
}
