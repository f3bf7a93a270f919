// What a page shows of a post, the same on the server and in the browser:
// the shape src/web/shared/post.ts builds from a PDS record or an AppView
// view, and the server renders as HTML (post-html.ts).

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
