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

/** What a link in a post's text is. */
export type LinkKind = "link" | "mention" | "tag";

/** A stretch of a post's text: plain, or a link. */
export interface Segment {
  text: string;
  href?: string;
  kind?: LinkKind;
}

/** A facet as the rules keep it: a byte range of the text and where it links. */
export interface Facet {
  byteStart: number;
  byteEnd: number;
  href: string;
  kind: LinkKind;
}

export interface Author {
  did: string;
  /** Verified handle (without `@`). */
  handle?: string;
  displayName?: string;
  /** URL of the avatar image. */
  avatar?: string;
}

export interface AspectRatio {
  width: number;
  height: number;
}

export interface Image {
  /** What the page shows (a thumbnail where the source has one); none when it cannot be read. */
  src?: string;
  /** The full-size image, linked from the thumbnail. */
  full?: string;
  alt: string;
  aspectRatio?: AspectRatio;
}

export interface LinkCard {
  uri: string;
  /** The link's host, shown under the title. */
  domain: string;
  title: string;
  description: string;
  thumb?: string;
}

export interface Video {
  alt: string;
  thumb?: string;
  aspectRatio?: AspectRatio;
}

export type Media = { images: Image[] } | { external: LinkCard } | { video: Video };

/** A quoted post, one level deep: its own quote, if any, is not shown. */
export interface Quote {
  uri: string;
  href: string;
  author: Author;
  text?: string;
  facets: Facet[];
  createdAt?: string;
  media?: Media;
  /** Why the quoted post is not shown (deleted, blocked, its server did not answer). */
  unavailable?: string;
}

/** An embedded record that is not a post: a feed, a list, a starter pack. */
export interface RecordLink {
  uri: string;
  href: string;
  label: string;
}

export interface Embed {
  media?: Media;
  quote?: Quote;
  record?: RecordLink;
}

export interface Counts {
  replies: number;
  reposts: number;
  likes: number;
  quotes: number;
}

export interface PostView {
  uri: string;
  /** The post in the Bluesky app. */
  href: string;
  cid?: string;
  author: Author;
  text?: string;
  facets: Facet[];
  createdAt?: string;
  embed?: Embed;
  /** The post this one answers. */
  replyTo?: { uri: string; href: string; author: Author };
  /** Known only through an AppView. */
  counts?: Counts;
  /** Why the post is not shown. */
  unavailable?: string;
  /** When the copy shown was read, if its server did not answer just now. */
  staleSince?: string;
}

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

/** The media of a record's embed (images, link card, video). */
function mediaFromRecord(embed: Json | undefined, blobUrl: BlobUrl): Media | undefined {
  const blob = (value: unknown) => {
    const cid = blobCid(value);
    return cid ? blobUrl(cid) : undefined;
  };
  switch (embed?.$type) {
    case "app.bsky.embed.images": {
      const images: Image[] = [];
      for (const item of list(embed.images).slice(0, 4)) {
        const image = obj(item);
        const src = blob(image?.image);
        const ratio = aspectRatio(image?.aspectRatio);
        images.push({
          ...(src ? { src, full: src } : {}),
          alt: str(image?.alt) ?? "",
          ...(ratio ? { aspectRatio: ratio } : {}),
        });
      }
      return images.length > 0 ? { images } : undefined;
    }
    case "app.bsky.embed.external": {
      const external = cardOf(embed.external, blob(obj(embed.external)?.thumb));
      return external ? { external } : undefined;
    }
    case "app.bsky.embed.video": {
      const ratio = aspectRatio(embed.aspectRatio);
      return { video: { alt: str(embed.alt) ?? "", ...(ratio ? { aspectRatio: ratio } : {}) } };
    }
    default:
      return undefined;
  }
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

const RECORD_LABELS: Record<string, string> = {
  [COLLECTIONS.feedGenerator]: "A feed on Bluesky",
  "app.bsky.graph.list": "A list on Bluesky",
  "app.bsky.graph.starterpack": "A starter pack on Bluesky",
};

function recordLink(uri: string, label?: string): RecordLink {
  const collection = parseRecordUri(uri)?.collection ?? "";
  return { uri, href: recordHref(uri), label: label ?? RECORD_LABELS[collection] ?? "A record on Bluesky" };
}

/**
 * A record's embed as the page shows it. `quote` is the quoted post, read
 * apart by the caller (undefined when the embed quotes nothing, or a record
 * that is not a post).
 */
export function embedFromRecord(record: unknown, blobUrl: BlobUrl, quote?: Quote): Embed | undefined {
  const embed = obj(obj(record)?.embed);
  const media = mediaFromRecord(
    embed?.$type === "app.bsky.embed.recordWithMedia" ? obj(embed.media) : embed,
    blobUrl,
  );
  const uri = embeddedUri(record);
  const isPost = uri !== undefined && parseRecordUri(uri)?.collection === COLLECTIONS.post;
  const out: Embed = {
    ...(media ? { media } : {}),
    ...(uri && isPost
      ? {
          quote: quote ?? {
            uri,
            href: recordHref(uri),
            author: { did: parseRecordUri(uri)?.did ?? "" },
            facets: [],
            unavailable: "not read",
          },
        }
      : {}),
    ...(uri && !isPost ? { record: recordLink(uri) } : {}),
  };
  return out.media || out.quote || out.record ? out : undefined;
}

/** A quoted post from its record (read apart, one level deep). */
export function quoteFromRecord(uri: string, record: unknown, author: Author, blobUrl: BlobUrl): Quote {
  const value = obj(record);
  const embed = obj(value?.embed);
  const media = mediaFromRecord(
    embed?.$type === "app.bsky.embed.recordWithMedia" ? obj(embed.media) : embed,
    blobUrl,
  );
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

function mediaFromView(view: Json | undefined): Media | undefined {
  switch (view?.$type) {
    case "app.bsky.embed.images#view": {
      const images: Image[] = [];
      for (const item of list(view.images).slice(0, 4)) {
        const image = obj(item);
        const src = webUrl(image?.thumb);
        const ratio = aspectRatio(image?.aspectRatio);
        if (src)
          images.push({
            src,
            full: webUrl(image?.fullsize) ?? src,
            alt: str(image?.alt) ?? "",
            ...(ratio ? { aspectRatio: ratio } : {}),
          });
      }
      return images.length > 0 ? { images } : undefined;
    }
    case "app.bsky.embed.external#view": {
      const external = cardOf(view.external, webUrl(obj(view.external)?.thumb));
      return external ? { external } : undefined;
    }
    case "app.bsky.embed.video#view": {
      const thumb = webUrl(view.thumbnail);
      const ratio = aspectRatio(view.aspectRatio);
      return {
        video: {
          alt: str(view.alt) ?? "",
          ...(thumb ? { thumb } : {}),
          ...(ratio ? { aspectRatio: ratio } : {}),
        },
      };
    }
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
    const value = obj(record.value);
    const createdAt = str(value?.createdAt);
    const media = mediaFromView(
      list(record.embeds)
        .map(obj)
        .find((e) => mediaFromView(e) !== undefined),
    );
    return {
      quote: {
        uri,
        href: recordHref(uri, author.handle),
        author,
        text: str(value?.text) ?? "",
        facets: readFacets(value?.facets),
        ...(createdAt ? { createdAt } : {}),
        ...(media ? { media } : {}),
      },
    };
  }
  const unavailable = UNAVAILABLE_QUOTES[type];
  if (unavailable)
    return {
      quote: {
        uri,
        href: recordHref(uri),
        author: { did: parseRecordUri(uri)?.did ?? "" },
        facets: [],
        unavailable,
      },
    };
  const label = str(record.displayName) ?? str(record.name);
  return {
    record: recordLink(
      uri,
      label ? `${RECORD_LABELS[parseRecordUri(uri)?.collection ?? ""] ?? "On Bluesky"}: ${label}` : undefined,
    ),
  };
}

/** An AppView's embed view as the page shows it. */
export function embedFromView(value: unknown): Embed | undefined {
  const view = obj(value);
  const type = view?.$type;
  let out: Embed = {};
  if (type === "app.bsky.embed.record#view") out = quotedFromView(view);
  else if (type === "app.bsky.embed.recordWithMedia#view") {
    const media = mediaFromView(obj(view?.media));
    out = { ...quotedFromView(obj(view?.record)), ...(media ? { media } : {}) };
  } else {
    const media = mediaFromView(view);
    if (media) out = { media };
  }
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
