// Sign-in and its return address. The handle is the only thing asked here:
// the password, if any, is typed on the person's own server (their PDS),
// which then sends them back to /oauth/callback.
import { html, type SafeHtml } from "../../shared/html.ts";
import type { PageMeta } from "../layout.ts";

export function signInMeta(next: string): PageMeta {
  return {
    title: "Sign in",
    description: "Sign in to Atrarium with your Bluesky account.",
    path: "/signin",
    next,
  };
}

/** What the granted permissions allow, in words (the scopes are in ../oauth.ts). */
const PERMISSIONS = [
  "create communities and change the ones you own (their settings and feed records)",
  "join and leave communities (membership records in your account)",
  "record your moderation decisions, if you moderate a community",
  "publish posts you write here (it cannot edit or delete your other posts)",
  "ask this Atrarium service, signed as you, for your moderation log and join requests, for a members-only feed you belong to, and to index your changes",
];

export function signInBody(next: string, problem?: string): SafeHtml {
  return html`<section class="narrow">
<h1>Sign in</h1>
<p>Use your Bluesky account (or any AT Protocol account). You confirm on your own server; Atrarium never sees your password.</p>
${problem ? html`<p class="error" role="alert">${problem}</p>` : ""}
<form id="signin-form" class="stack" action="/signin" method="get">
<input type="hidden" name="next" value="${next}">
<label for="handle">Your handle</label>
<input id="handle" name="handle" type="text" inputmode="url" autocomplete="username" autocapitalize="none" spellcheck="false" placeholder="alice.bsky.social" required>
<button class="primary" type="submit">Sign in with Bluesky</button>
</form>
<noscript><p class="error">Signing in needs JavaScript. Everything else here works without it.</p></noscript>
<h2>What Atrarium may do with your account</h2>
<ul>${PERMISSIONS.map((p) => html`<li>${p}</li>`)}</ul>
<p>Your server shows these as Atrarium's two permission sets, “Take part in Atrarium communities” and “Run Atrarium communities”. It cannot read your private data, change your profile, follow, like or delete anything else. If your server does not support these narrow permissions, it asks for general access instead and tells you so.</p>
</section>`;
}

export const callbackMeta: PageMeta = {
  title: "Signing in",
  description: "Finishing sign-in.",
  path: "/oauth/callback",
};

export function callbackBody(): SafeHtml {
  return html`<section class="narrow">
<h1>Signing in</h1>
<p id="callback-status" role="status" aria-busy="true">Finishing sign-in…</p>
<noscript><p class="error">Signing in needs JavaScript.</p></noscript>
</section>`;
}
