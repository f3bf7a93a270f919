// How long what the app writes may be, as the lexicons say (in graphemes, what
// people count as characters, and in UTF-8 bytes): the server renders them
// into its forms, the browser code checks them before writing. And how many
// posts a page of a community shows, on either side.

/** Posts on one page of a community page. */
export const POSTS_PER_PAGE = 20;

/** DIDs, and post URIs, one /web/hydrate call takes (the rest of a longer list is ignored). */
export const HYDRATE_MAX = 50;

export interface TextLimit {
  graphemes: number;
  bytes: number;
}

export const LIMITS = {
  name: { graphemes: 100, bytes: 200 },
  description: { graphemes: 1000, bytes: 2000 },
  post: { graphemes: 300, bytes: 3000 },
  rule: { graphemes: 300, bytes: 3000 },
} satisfies Record<string, TextLimit>;

/** A community has at most this many rules (config `rules`). */
export const MAX_RULES = 10;

export const RULE_GRAPHEMES = LIMITS.rule.graphemes;
