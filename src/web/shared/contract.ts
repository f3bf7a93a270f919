// What the server hands the browser code in each page (as JSON), typed once
// for both sides. Types only: the browser bundle imports nothing from here.

/** atproto OAuth client metadata of a public client (no keys: DPoP keys live in the browser). */
export interface ClientMetadata {
  client_id: string;
  client_name?: string;
  client_uri?: string;
  redirect_uris: [string];
  scope: string;
  grant_types: ["authorization_code", "refresh_token"];
  response_types: ["code"];
  token_endpoint_auth_method: "none";
  application_type: "web" | "native";
  dpop_bound_access_tokens: true;
}

/** The browser code's settings. */
export interface WebConfig {
  serviceDid: string;
  /** `atproto-proxy` value for calls the user's PDS forwards to this Worker. */
  proxy: string;
  clientMetadata: ClientMetadata;
  /**
   * The scopes asked for at sign-in, best first: our permission sets, the same
   * rights as granular scopes, general access. A PDS that refuses one (invalid_scope)
   * is asked for the next.
   */
  scopes: string[];
  /** A com.atproto.identity.resolveHandle service. */
  handleResolver: string;
  plcDirectoryUrl: string;
  /** Only a loopback app talks to http servers (the local PDS and PLC). */
  allowHttp: boolean;
}

/** A community page's data for the browser code. */
export interface CommunityPageData {
  uri: string;
  owner: string;
  rkey: string;
  name: string;
  description?: string;
  hashtag: string;
  moderators: string[];
  /** The page's own path, e.g. /c/atr_1a2b3c4d. */
  path: string;
  /** The community's feed (at://…/app.bsky.feed.generator/…). */
  feed: string;
  /** Whether new members wait for a moderator's approval. */
  joinPolicy: "open" | "approval";
  /** Whether the whole feed is for members only (everyone else gets the pinned posts). */
  feedVisibility: "public" | "members";
}
