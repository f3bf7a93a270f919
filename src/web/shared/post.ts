// How a post is shown, decided once for every place that shows one: which
// stretches of its text are links (facets, by UTF-8 byte range), and what its
// embed shows (images with their alt text, a link card, a quoted post, a
// video). Two inputs give the same view: the record as its author's PDS
// stores it (image URLs built by the caller, the quoted post read apart),
// and an AppView's post view, whose embed comes with its URLs and quoted
// post. Everything here is read defensively: records are whatever their
// authors wrote. Pure data in, pure data out: the server renders it as HTML,
// the browser as DOM.
import { COLLECTIONS, parseRecordUri } from "../../records/address.ts";
import { HASHTAG_PATTERN } from "../../records/hashtags.ts";
import { communityPath, feedUrl, hashtagUrl, listUrl, postUrl, profileUrl } from "./links.ts";
import type {
  AspectRatio,
  Author,
  Counts,
  Embed,
  Facet,
  Image,
  LinkCard,
  LinkKind,
  Media,
  PostView,
  Quote,
  RecordLink,
  Segment,
  Video,
} from "./post-view.ts";

export type * from "./post-view.ts";

// ---- reading untrusted JSON ------------------------------------------------------

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Json) : undefined;
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const count = (v: unknown): number => (typeof v === "number" && Number.isSafeInteger(v) && v >= 0 ? v : 0);

/** An http(s) URL, or undefined: nothing else may become a link or an image. */
export function webUrl(value: unknown): string | undefined {
  const text = str(value);
  if (!text) return undefined;
  try {
    const url = new URL(text);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function aspectRatio(value: unknown): AspectRatio | undefined {
  const ratio = obj(value);
  const width = count(ratio?.width);
  const height = count(ratio?.height);
  return width > 0 && height > 0 ? { width, height } : undefined;
}

/** The CID of a blob, in the current form (`ref.$link`) or the legacy one (`cid`). */
export function blobCid(value: unknown): string | undefined {
  const blob = obj(value);
  const cid = str(obj(blob?.ref)?.$link) ?? str(blob?.cid);
  return cid && /^[a-zA-Z0-9]{8,128}$/.test(cid) ? cid : undefined;
}

/** The Bluesky app's page for a record: a post, a feed, a list; else the author's profile. */
export function recordHref(uri: string, actor?: string): string {
  const address = parseRecordUri(uri);
  if (!address) return profileUrl(actor ?? uri);
  const who = actor ?? address.did;
  switch (address.collection) {
    case COLLECTIONS.post:
      return postUrl(who, address.rkey);
    case COLLECTIONS.feedGenerator:
      return feedUrl(who, address.rkey);
    case "app.bsky.graph.list":
      return listUrl(who, address.rkey);
    default:
      return profileUrl(who);
  }
}

// ---- text: facets → links ----------------------------------------------------------

/** Where one facet feature links: an http(s) URL, a person, a hashtag (ours lead to the community). */
function featureLink(feature: unknown): { href: string; kind: LinkKind } | undefined {
  const f = obj(feature);
  switch (f?.$type) {
    case "app.bsky.richtext.facet#link": {
      const href = webUrl(f.uri);
      return href ? { href, kind: "link" } : undefined;
    }
    case "app.bsky.richtext.facet#mention": {
      const did = str(f.did);
      return did?.startsWith("did:") ? { href: profileUrl(did), kind: "mention" } : undefined;
    }
    case "app.bsky.richtext.facet#tag": {
      const tag = str(f.tag)?.replace(/^#/, "");
      if (!tag) return undefined;
      const ours = HASHTAG_PATTERN.test(`#${tag}`);
      return { href: ours ? communityPath(tag) : hashtagUrl(tag), kind: "tag" };
    }
    default:
      return undefined;
  }
}

/** The facets of a post record that lead somewhere, in text order. */
export function readFacets(value: unknown): Facet[] {
  const facets: Facet[] = [];
  for (const item of list(value)) {
    const facet = obj(item);
    const index = obj(facet?.index);
    const byteStart = index?.byteStart;
    const byteEnd = index?.byteEnd;
    if (typeof byteStart !== "number" || typeof byteEnd !== "number") continue;
    const link = list(facet?.features)
      .map(featureLink)
      .find((l) => l !== undefined);
    if (link) facets.push({ byteStart, byteEnd, ...link });
  }
  return facets.sort((a, b) => a.byteStart - b.byteStart);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Whether a byte offset falls between two characters (not inside a multi-byte one). */
const onBoundary = (bytes: Uint8Array, at: number) =>
  at === bytes.length || ((bytes[at] ?? 0) & 0xc0) !== 0x80;

/**
 * The text cut at its facets. A facet that is out of range, empty, overlaps
 * an earlier one or splits a character is ignored: its text stays plain.
 */
export function richText(text: string, facets: readonly Facet[]): Segment[] {
  const bytes = encoder.encode(text);
  const segments: Segment[] = [];
  let at = 0;
  const plain = (end: number) => {
    if (end > at) segments.push({ text: decoder.decode(bytes.subarray(at, end)) });
  };
  for (const f of facets) {
    const valid =
      Number.isInteger(f.byteStart) &&
      Number.isInteger(f.byteEnd) &&
      f.byteStart >= at &&
      f.byteEnd > f.byteStart &&
      f.byteEnd <= bytes.length &&
      onBoundary(bytes, f.byteStart) &&
      onBoundary(bytes, f.byteEnd);
    if (!valid) continue;
    plain(f.byteStart);
    segments.push({
      text: decoder.decode(bytes.subarray(f.byteStart, f.byteEnd)),
      href: f.href,
      kind: f.kind,
    });
    at = f.byteEnd;
  }
  plain(bytes.length);
  return segments;
}

// ---- embeds: a record's, with image URLs built by the caller --------------------------

/** Builds the URL of one of the author's blobs, or undefined when it cannot be shown. */
export type BlobUrl = (cid: string) => string | undefined;

function cardOf(external: unknown, thumb: string | undefined): LinkCard | undefined {
  const card = obj(external);
  const uri = webUrl(card?.uri);
  if (!uri) return undefined;
  return {
    uri,
    domain: new URL(uri).host.replace(/^www\./, ""),
    title: str(card?.title) ?? "",
    description: str(card?.description) ?? "",
    ...(thumb ? { thumb } : {}),
  };
}

/** The media of a record's embed (images, link card, video); a record with media: its media. */
function mediaFromRecord(value: Json | undefined, blobUrl: BlobUrl): Media | undefined {
  const embed = value?.$type === "app.bsky.embed.recordWithMedia" ? obj(value.media) : value;
  const blob = (ref: unknown) => {
    const cid = blobCid(ref);
    return cid ? blobUrl(cid) : undefined;
  };
  switch (embed?.$type) {
    case "app.bsky.embed.images": {
      const images = list(embed.images)
        .slice(0, 4)
        .map(obj)
        .map((image) => {
          const src = blob(image?.image);
          return anImage(src ? { src, full: src } : {}, image);
        });
      return images.length > 0 ? { images } : undefined;
    }
    case "app.bsky.embed.external": {
      const external = cardOf(embed.external, blob(obj(embed.external)?.thumb));
      return external ? { external } : undefined;
    }
    case "app.bsky.embed.video":
      return { video: aVideo(undefined, embed) };
    default:
      return undefined;
  }
}

/** An image with the alt text and shape its embed gives (record and view alike). */
function anImage(at: Pick<Image, "src" | "full">, image: Json | undefined): Image {
  const ratio = aspectRatio(image?.aspectRatio);
  return { ...at, alt: str(image?.alt) ?? "", ...(ratio ? { aspectRatio: ratio } : {}) };
}

function aVideo(thumb: string | undefined, video: Json): Video {
  const ratio = aspectRatio(video.aspectRatio);
  return { alt: str(video.alt) ?? "", ...(thumb ? { thumb } : {}), ...(ratio ? { aspectRatio: ratio } : {}) };
}

/** The record a record's embed points at (a quoted post, a feed, a list), if any. */
export function embeddedUri(record: unknown): string | undefined {
  const embed = obj(obj(record)?.embed);
  const ref =
    embed?.$type === "app.bsky.embed.record"
      ? obj(embed.record)
      : embed?.$type === "app.bsky.embed.recordWithMedia"
        ? obj(obj(embed.record)?.record)
        : undefined;
  const uri = str(ref?.uri);
  return uri && parseRecordUri(uri) ? uri : undefined;
}

/** The URI of the post a reply answers. */
export function replyParentUri(record: unknown): string | undefined {
  const uri = str(obj(obj(obj(record)?.reply)?.parent)?.uri);
  return uri && parseRecordUri(uri)?.collection === COLLECTIONS.post ? uri : undefined;
}

const isPostUri = (uri: string) => parseRecordUri(uri)?.collection === COLLECTIONS.post;

const RECORD_LABELS: Record<string, string> = {
  [COLLECTIONS.feedGenerator]: "A feed on Bluesky",
  "app.bsky.graph.list": "A list on Bluesky",
  "app.bsky.graph.starterpack": "A starter pack on Bluesky",
};

/** A link to an embedded record that is not a post, labelled with its kind (and its name, when known). */
function recordLink(uri: string, name?: string): RecordLink {
  const kind = RECORD_LABELS[parseRecordUri(uri)?.collection ?? ""] ?? "A record on Bluesky";
  return { uri, href: recordHref(uri), label: name ? `${kind}: ${name}` : kind };
}

/** A quoted post from its record value (one level deep: its own quote is not shown). */
function quoteOf(uri: string, author: Author, value: Json | undefined, media: Media | undefined): Quote {
  const createdAt = str(value?.createdAt);
  return {
    uri,
    href: recordHref(uri, author.handle),
    author,
    text: str(value?.text) ?? "",
    facets: readFacets(value?.facets),
    ...(createdAt ? { createdAt } : {}),
    ...(media ? { media } : {}),
  };
}

/** A quoted post that cannot be shown, and why. */
export function unavailableQuote(uri: string, why: string): Quote {
  return {
    uri,
    href: recordHref(uri),
    author: { did: parseRecordUri(uri)?.did ?? "" },
    facets: [],
    unavailable: why,
  };
}

/** A quoted post from its record, read apart from its author's PDS. */
export function quoteFromRecord(uri: string, record: unknown, author: Author, blobUrl: BlobUrl): Quote {
  const value = obj(record);
  return quoteOf(uri, author, value, mediaFromRecord(obj(value?.embed), blobUrl));
}

/**
 * A record's embed as the page shows it. `quote` is the quoted post, read
 * apart by the caller (undefined when the embed quotes nothing, or a record
 * that is not a post).
 */
export function embedFromRecord(record: unknown, blobUrl: BlobUrl, quote?: Quote): Embed | undefined {
  const media = mediaFromRecord(obj(obj(record)?.embed), blobUrl);
  const uri = embeddedUri(record);
  const out: Embed = {
    ...(media ? { media } : {}),
    ...(uri && isPostUri(uri) ? { quote: quote ?? unavailableQuote(uri, "not read") } : {}),
    ...(uri && !isPostUri(uri) ? { record: recordLink(uri) } : {}),
  };
  return out.media || out.quote || out.record ? out : undefined;
}

// ---- embeds: an AppView's views ----------------------------------------------------

/** A profileViewBasic; a handle the AppView could not verify is left out. */
export function authorFromView(value: unknown): Author | undefined {
  const profile = obj(value);
  const did = str(profile?.did);
  if (!did) return undefined;
  const handle = str(profile?.handle);
  const displayName = str(profile?.displayName)?.trim();
  const avatar = webUrl(profile?.avatar);
  return {
    did,
    ...(handle && handle !== "handle.invalid" ? { handle } : {}),
    ...(displayName ? { displayName } : {}),
    ...(avatar ? { avatar } : {}),
  };
}

/** The media of an embed view (images, link card, video); a record with media: its media. */
function mediaFromView(value: Json | undefined): Media | undefined {
  const view = value?.$type === "app.bsky.embed.recordWithMedia#view" ? obj(value.media) : value;
  switch (view?.$type) {
    case "app.bsky.embed.images#view": {
      const images = list(view.images)
        .slice(0, 4)
        .map(obj)
        .map((image) => {
          const src = webUrl(image?.thumb);
          return anImage(src ? { src, full: webUrl(image?.fullsize) ?? src } : {}, image);
        });
      return images.length > 0 ? { images } : undefined;
    }
    case "app.bsky.embed.external#view": {
      const external = cardOf(view.external, webUrl(obj(view.external)?.thumb));
      return external ? { external } : undefined;
    }
    case "app.bsky.embed.video#view":
      return { video: aVideo(webUrl(view.thumbnail), view) };
    default:
      return undefined;
  }
}

const UNAVAILABLE_QUOTES: Record<string, string> = {
  "app.bsky.embed.record#viewNotFound": "the quoted post was deleted",
  "app.bsky.embed.record#viewBlocked": "the quoted post is not available",
  "app.bsky.embed.record#viewDetached": "the quoted post was detached by its author",
};

/** The record part of an AppView's record embed: a quoted post, or a link to a feed or a list. */
function quotedFromView(view: Json | undefined): Pick<Embed, "quote" | "record"> {
  const record = obj(view?.record);
  const type = str(record?.$type) ?? "";
  const uri = str(record?.uri);
  if (!record || !uri) return {};
  if (type === "app.bsky.embed.record#viewRecord") {
    const author = authorFromView(record.author) ?? { did: parseRecordUri(uri)?.did ?? "" };
    const media = list(record.embeds)
      .map((e) => mediaFromView(obj(e)))
      .find((m) => m !== undefined);
    return { quote: quoteOf(uri, author, obj(record.value), media) };
  }
  const unavailable = UNAVAILABLE_QUOTES[type];
  if (unavailable) return { quote: unavailableQuote(uri, unavailable) };
  return { record: recordLink(uri, str(record.displayName) ?? str(record.name)) };
}

/** An AppView's embed view as the page shows it. */
export function embedFromView(value: unknown): Embed | undefined {
  const view = obj(value);
  const media = mediaFromView(view);
  const quoted =
    view?.$type === "app.bsky.embed.record#view"
      ? quotedFromView(view)
      : view?.$type === "app.bsky.embed.recordWithMedia#view"
        ? quotedFromView(obj(view.record))
        : {};
  const out: Embed = { ...(media ? { media } : {}), ...quoted };
  return out.media || out.quote || out.record ? out : undefined;
}

/** Reply, repost, like and quote counts of an AppView's post view. */
export function countsFromView(value: unknown): Counts | undefined {
  const view = obj(value);
  if (!view || !["replyCount", "repostCount", "likeCount", "quoteCount"].some((k) => k in view))
    return undefined;
  return {
    replies: count(view.replyCount),
    reposts: count(view.repostCount),
    likes: count(view.likeCount),
    quotes: count(view.quoteCount),
  };
}

// ---- what a page shows ---------------------------------------------------------------

function mediaImages(media: Media | undefined): string[] {
  if (!media) return [];
  if ("images" in media) return media.images.flatMap((i) => (i.src ? [i.src] : []));
  if ("external" in media) return media.external.thumb ? [media.external.thumb] : [];
  return media.video.thumb ? [media.video.thumb] : [];
}

/** Every image URL a post's view shows (avatars, media, the quoted post's): what the page's CSP must allow. */
export function imagesOf(post: PostView): string[] {
  const quote = post.embed?.quote;
  return [
    ...(post.author.avatar ? [post.author.avatar] : []),
    ...mediaImages(post.embed?.media),
    ...(quote?.author.avatar ? [quote.author.avatar] : []),
    ...mediaImages(quote?.media),
  ];
}
