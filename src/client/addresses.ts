// Record addresses as the client takes them. Method arguments are AT-URIs
// named by DID, parsed by the shared src/records/address.ts; here a null from
// it becomes an AtrariumError that says what was expected. What people type
// (a handle in an AT-URI, a bsky.app link) is parsed in one place,
// parseRecordRef, and resolved to a DID by the client.
import { isValidDid, isValidHandle } from "@atproto/syntax";
import {
  COLLECTIONS,
  type CommunityAddress,
  parseCommunityUri,
  parseRecordUri,
  type RecordAddress,
} from "../records/address.ts";
import { AtrariumError } from "./errors.ts";

/** A record reference as people write it: the authority may be a handle. */
export interface RecordRef {
  /** DID or handle, as written. */
  actor: string;
  collection: string;
  rkey: string;
}

const AT_URI_REF = /^at:\/\/([^/?#]+)\/([a-zA-Z][a-zA-Z0-9.-]+)\/([a-zA-Z0-9._:~-]{1,512})$/;
const BSKY_LINK_PATH = /^\/profile\/([^/]+)\/(post|feed)\/([^/]+)\/?$/;
const LINK_COLLECTION = { post: COLLECTIONS.post, feed: COLLECTIONS.feedGenerator } as const;

function describe(collection: string): string {
  switch (collection) {
    case COLLECTIONS.config:
      return "community (com.atrarium.community.config record)";
    case COLLECTIONS.post:
      return "post";
    case COLLECTIONS.feedGenerator:
      return "feed generator";
    default:
      return `${collection} record`;
  }
}

/**
 * A record reference from user input: `at://DID_OR_HANDLE/COLLECTION/RKEY`,
 * or a `https://bsky.app/profile/DID_OR_HANDLE/(post|feed)/RKEY` link. Null
 * when the input is neither.
 */
export function parseRecordRef(input: string): RecordRef | null {
  const text = input.trim();
  const uri = AT_URI_REF.exec(text);
  if (uri) {
    const actor = decodeURIComponent(uri[1] as string);
    if (!isValidDid(actor) && !isValidHandle(actor)) return null;
    return { actor, collection: uri[2] as string, rkey: uri[3] as string };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  const link = BSKY_LINK_PATH.exec(url.pathname);
  if (!link || !["http:", "https:"].includes(url.protocol)) return null;
  return {
    actor: decodeURIComponent(link[1] as string),
    collection: LINK_COLLECTION[link[2] as "post" | "feed"],
    rkey: decodeURIComponent(link[3] as string),
  };
}

/** The address of one record named by DID; throws an AtrariumError saying what was expected. */
export function requireRecordUri(uri: string, expected?: string): RecordAddress {
  const address = parseRecordUri(uri);
  const what = expected ? describe(expected) : "record";
  if (!address) {
    const ref = parseRecordRef(uri);
    if (ref && uri.startsWith("at://") && !isValidDid(ref.actor)) {
      throw new AtrariumError(
        "invalid",
        `"${uri}" names its repo by handle; give the ${what} URI with the owner's DID`,
      );
    }
    throw new AtrariumError(
      "invalid",
      `Not an AT-URI of a single ${what}: "${uri}" (expected at://DID/COLLECTION/RKEY)`,
    );
  }
  if (expected && address.collection !== expected) {
    throw new AtrariumError(
      "invalid",
      `"${uri}" is not a ${what}: expected collection ${expected}, got ${address.collection}`,
    );
  }
  return address;
}

/** A community config URI named by DID; throws an AtrariumError for anything else. */
export function requireCommunityUri(uri: string): CommunityAddress {
  requireRecordUri(uri, COLLECTIONS.config);
  return parseCommunityUri(uri) as CommunityAddress;
}

/** A DID or a handle (with or without a leading "@"). */
export type ActorRef = { did: string } | { handle: string };

/** A DID or a handle, as people write it; throws an AtrariumError for anything else. */
export function parseActor(input: string): ActorRef {
  const value = input.trim().replace(/^@/, "");
  if (value.startsWith("did:")) {
    if (!isValidDid(value)) throw new AtrariumError("invalid", `Not a valid DID: "${input}"`);
    return { did: value };
  }
  const handle = value.toLowerCase();
  if (!isValidHandle(handle)) {
    throw new AtrariumError(
      "invalid",
      `Not a DID or handle: "${input}" (expected e.g. alice.bsky.social or did:plc:…)`,
    );
  }
  return { handle };
}
