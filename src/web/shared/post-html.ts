// A post as HTML, from the view post.ts builds, the same in the server's pages
// and in what the browser code renders (a members-only feed): the author
// (avatar, name, verified handle), "Replying to", the text with its links,
// the embed (images with their alt text, a link card, the quoted post, a
// video) and the counts. Every image is lazy and has fixed dimensions (its
// box is reserved before it loads, so nothing moves), and has alt text or is
// marked decorative (avatars and card thumbnails, whose text is next to them).
import { plural } from "./format.ts";
import { personLink, timeElement } from "./format-html.ts";
import { html, type SafeHtml } from "./html.ts";
import { profileUrl } from "./links.ts";
import {
  type Author,
  type Embed,
  type Facet,
  type Image,
  type LinkCard,
  type Media,
  type PostView,
  type Quote,
  richText,
  type Video,
} from "./post.ts";

/** Width of the box an image is laid out in (its height follows the aspect ratio). */
const BOX = 600;
/** Single images keep their shape between these height/width ratios (taller or flatter ones are cropped). */
const TALLEST = 1.25;
const FLATTEST = 0.4;

/**
 * How an image loads: the first posts of a page are in view at once, so their
 * images load at once (lazy loading would hold back the largest paint); the
 * rest wait until they come near the view.
 */
type Loading = "eager" | "lazy";

/** Links inside someone's post: no endorsement of where they lead. */
const UGC = "nofollow ugc noopener";

export function textHtml(text: string, facets: readonly Facet[]): SafeHtml {
  return html`${richText(text, facets).map((s) =>
    s.href
      ? html`<a class="facet-${s.kind ?? "link"}" href="${s.href}"${s.kind === "link" ? html` rel="${UGC}"` : ""}>${s.text}</a>`
      : s.text,
  )}`;
}

function avatar(author: Author, size: "small" | "large" = "large"): SafeHtml {
  const px = size === "large" ? 40 : 20;
  // Decorative: the person's name is right next to it.
  return author.avatar
    ? html`<img class="avatar avatar-${size}" src="${author.avatar}" width="${px}" height="${px}" alt="" loading="lazy" decoding="async">`
    : html`<span class="avatar avatar-${size} avatar-none" aria-hidden="true"></span>`;
}

/** Display name and verified handle, linking to the person's profile; the DID where no handle is verified. */
function byline(author: Author): SafeHtml {
  if (!author.displayName) return personLink(author.did, author.handle);
  return html`<a class="person" href="${profileUrl(author.handle ?? author.did)}"><span class="display-name">${author.displayName}</span> <span class="handle">${author.handle ? `@${author.handle}` : ""}</span></a>`;
}

function imageBox(image: Image, single: boolean, loading: Loading): SafeHtml {
  const alt = image.alt.trim() || "Image (its author gave no description)";
  const ratio = image.aspectRatio ? image.aspectRatio.height / image.aspectRatio.width : 1;
  const height = single ? Math.round(BOX * Math.min(TALLEST, Math.max(FLATTEST, ratio))) : BOX;
  if (!image.src) {
    return html`<span class="image image-missing" role="img" aria-label="${`Image not available: ${alt}`}">Image not available: ${alt}</span>`;
  }
  return html`<a class="image" href="${image.full ?? image.src}"><img src="${image.src}" alt="${alt}" width="${BOX}" height="${height}" loading="${loading}" decoding="async"></a>`;
}

function cardHtml(card: LinkCard, loading: Loading): SafeHtml {
  return html`<a class="card-link" href="${card.uri}" rel="${UGC}">${
    card.thumb
      ? html`<img class="card-thumb" src="${card.thumb}" alt="" width="${BOX}" height="314" loading="${loading}" decoding="async">`
      : ""
  }<span class="card-body"><span class="card-title">${card.title || card.uri}</span>${
    card.description ? html`<span class="card-description">${card.description}</span>` : ""
  }<span class="card-domain">${card.domain}</span></span></a>`;
}

function videoHtml(video: Video, href: string, loading: Loading): SafeHtml {
  const label = video.alt.trim() ? `Video: ${video.alt.trim()}` : "Video";
  return html`<a class="video" href="${href}">${
    video.thumb
      ? html`<img src="${video.thumb}" alt="${label}" width="${BOX}" height="${Math.round((BOX * 9) / 16)}" loading="${loading}" decoding="async">`
      : ""
  }<span class="video-label">${label} · watch it in Bluesky</span></a>`;
}

function mediaHtml(media: Media, href: string, loading: Loading): SafeHtml {
  if ("images" in media) {
    const single = media.images.length === 1;
    return html`<div class="images images-${media.images.length}">${media.images.map((i) => imageBox(i, single, loading))}</div>`;
  }
  if ("external" in media) return cardHtml(media.external, loading);
  return videoHtml(media.video, href, loading);
}

function quoteHtml(quote: Quote, loading: Loading): SafeHtml {
  if (quote.unavailable) {
    return html`<div class="quote quote-unavailable">Quoted post not shown (${quote.unavailable}). <a href="${quote.href}">Open it in Bluesky</a>.</div>`;
  }
  return html`<blockquote class="quote" cite="${quote.href}">
<p class="post-meta">${avatar(quote.author, "small")}${byline(quote.author)}<span aria-hidden="true"> · </span><a class="post-time" href="${quote.href}">${timeElement(quote.createdAt)}</a></p>
${quote.text ? html`<p class="post-text">${textHtml(quote.text, quote.facets)}</p>` : ""}${quote.media ? mediaHtml(quote.media, quote.href, loading) : ""}
</blockquote>`;
}

function embedHtml(embed: Embed, href: string, loading: Loading): SafeHtml {
  return html`<div class="embed">${embed.media ? mediaHtml(embed.media, href, loading) : ""}${
    embed.quote ? quoteHtml(embed.quote, loading) : ""
  }${embed.record ? html`<a class="card-link record-link" href="${embed.record.href}"><span class="card-body"><span class="card-title">${embed.record.label}</span></span></a>` : ""}</div>`;
}

function countsHtml(post: PostView): SafeHtml {
  const counts = post.counts;
  if (!counts) return html``;
  const parts = [
    plural(counts.replies, "reply", "replies"),
    plural(counts.reposts, "repost"),
    plural(counts.quotes, "quote"),
    plural(counts.likes, "like"),
  ];
  return html`<p class="post-counts"><a href="${post.href}">${parts.join(" · ")}</a></p>`;
}

/**
 * One post of a list (`<li>`), with the data the browser code's moderation
 * tools read; a pinned post (one the feed puts on top) says so.
 */
export function postItem(post: PostView, loading: Loading = "lazy", pinned = false): SafeHtml {
  const body = post.unavailable
    ? html`<p class="post-unavailable">This post could not be shown (${post.unavailable}). <a href="${post.href}">Open it in Bluesky</a>.</p>`
    : html`${
        post.replyTo
          ? html`<p class="post-reply">Replying to ${personLink(post.replyTo.author.did, post.replyTo.author.handle)} (<a href="${post.replyTo.href}">their post</a>)</p>`
          : ""
      }<p class="post-text">${textHtml(post.text ?? "", post.facets)}</p>${post.embed ? embedHtml(post.embed, post.href, loading) : ""}${countsHtml(post)}`;
  return html`<li class="${pinned ? "post pinned" : "post"}" data-uri="${post.uri}" data-cid="${post.cid ?? ""}" data-author="${post.author.did}"${pinned ? html` data-pinned="true"` : ""}>
${avatar(post.author)}<div class="post-body">
${pinned ? html`<p class="post-pin">Pinned</p>` : ""}<p class="post-meta">${byline(post.author)}<span aria-hidden="true"> · </span><a class="post-time" href="${post.href}">${timeElement(post.createdAt)}</a><span class="post-tools"></span></p>
${body}${post.staleSince ? html`<p class="post-note">As read ${timeElement(post.staleSince)}: its server is not answering now.</p>` : ""}
</div>
</li>`;
}
