// The document every page shares: head with title, description and the
// OpenGraph/Twitter card tags (what a link pasted into a Bluesky post shows),
// the site header with the account area, and the settings for the browser code.

import type { WebConfig } from "../shared/contract.ts";
import { html, jsonScript, type SafeHtml } from "../shared/html.ts";
import { signInPath } from "../shared/links.ts";

export interface PageMeta {
  /** The page's own title; the site name is added. */
  title: string;
  description: string;
  /** The path of the page (canonical URL = app origin + path). */
  path: string;
  /** Where "Sign in" returns to (default: this page). */
  next?: string;
}

export interface PageInput {
  meta: PageMeta;
  /** Which browser module runs (body[data-page]). */
  name: "home" | "community" | "start" | "manage" | "signin" | "callback" | "not-found";
  body: SafeHtml;
  origin: string;
  config: WebConfig;
  /** Data the page's browser module reads (JSON, never markup). */
  data?: unknown;
}

const SITE = "Atrarium";

export function renderPage({ meta, name, body, origin, config, data }: PageInput): string {
  const title = meta.title === SITE ? SITE : `${meta.title} · ${SITE}`;
  const url = `${origin}${meta.path}`;
  return `<!doctype html>\n${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${title}</title>
<meta name="description" content="${meta.description}">
<link rel="canonical" href="${url}">
<meta property="og:site_name" content="${SITE}">
<meta property="og:type" content="website">
<meta property="og:title" content="${meta.title}">
<meta property="og:description" content="${meta.description}">
<meta property="og:url" content="${url}">
<meta name="twitter:card" content="summary">
<meta name="twitter:title" content="${meta.title}">
<meta name="twitter:description" content="${meta.description}">
<link rel="icon" href="/assets/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/app.css">
<script type="module" src="/assets/app.js"></script>
</head>
<body data-page="${name}">
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
<a class="brand" href="/">${SITE}</a>
<nav id="account" class="account" aria-label="Account">
<a class="button" href="${signInPath(meta.next ?? meta.path)}">Sign in</a>
</nav>
</header>
<main id="main" tabindex="-1">
${body}
</main>
<footer class="site-footer">
<p>Community feeds for Bluesky. Every post, membership and moderation decision lives in its author's own account.</p>
</footer>
<div id="toast" class="toast" role="status" aria-live="polite"></div>
${jsonScript("atrarium-config", config)}
${data === undefined ? "" : jsonScript("atrarium-page", data)}
</body>
</html>`}\n`;
}
