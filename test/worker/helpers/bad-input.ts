// The machinery of the bad-input tables (test/worker/bad-input*.test.ts): the
// world the rows run against, the rows every method gets from its lexicon and
// its kind of auth, sending a row, and the checks every XRPC answer gets.
import { SELF } from "cloudflare:test";
import { Secp256k1Keypair } from "@atproto/crypto";
import { ResponseType } from "@atproto/xrpc";
import { createServiceJwt } from "@atproto/xrpc-server";
import { expect, inject } from "vitest";
import { schemas } from "../../../src/lexicon/lexicons.ts";
import { encodeCursor, encodeKeyset } from "../../../src/paging.ts";
import { type Account, createAccount, serviceJwt, startPds, writeRecord } from "./network.ts";
import { ADMIN } from "./xrpc.ts";

export const ORIGIN = "https://feeds.test";
export const FAR_TOO_LONG = "a".repeat(5_000);

/** What the rows need from the running network, set up once. */
export interface World {
  alice: Account; // owner and moderator of `community`
  bob: Account; // a plain member
  community: string;
  feed: string;
  post: string;
  /** A did:plc the PLC directory has never heard of. */
  unknownDid: string;
  /** A did:plc whose document names no PDS. */
  noPdsDid: string;
  /** A did:plc whose PDS does not answer (connection refused). */
  downPdsDid: string;
  /** A did:web whose host does not answer. */
  downDidWeb: string;
}
/**
 * How a method authenticates: none; service auth required; optional (a token sent must be
 * valid); a viewer (getFeedSkeleton: a token only says who asks, and a bad one is ignored,
 * never an error); or the admin password.
 */
export type Auth = "none" | "service" | "optional-service" | "viewer" | "admin";

/** A call that succeeds: each row changes one thing about it. */
export interface ValidCall {
  auth: Auth;
  params?: (w: World) => Record<string, string>;
  body?: (w: World) => Record<string, unknown>;
}

export interface Row {
  what: string;
  nsid: string;
  /** Defaults to the method's own (GET for a query, POST for a procedure). */
  http?: "GET" | "POST";
  params?: (w: World) => Record<string, string>;
  /** The raw body; JSON of the valid call's body when absent. */
  body?: (w: World) => string;
  contentType?: string;
  /** The Authorization header; the valid call's when absent. */
  authorization?: (w: World) => Promise<string | undefined>;
  status: number;
  error: string;
  message?: RegExp;
  /** A real upstream outage: a 5xx is the right answer. */
  outage?: true;
}

// --- the methods, from the generated lexicons --------------------------------

interface MethodDef {
  type: "query" | "procedure";
  parameters?: { required?: string[]; properties: Record<string, ParamDef> };
  input?: { schema?: { required?: string[]; properties?: Record<string, { type: string }> } };
  errors?: { name: string }[];
}
interface ParamDef {
  type: string;
  format?: string;
  minimum?: number;
  maximum?: number;
}

function methodDef(doc: (typeof schemas)[number]): MethodDef | null {
  const main = (doc.defs as Record<string, { type: string }>).main;
  return main && (main.type === "query" || main.type === "procedure") ? (main as MethodDef) : null;
}

/** Every method the Worker serves: app.bsky.feed.* and com.atrarium.* (com.atproto.* are the PDS's). */
export const SERVED = new Map<string, MethodDef>(
  schemas.flatMap((doc) => {
    const def = methodDef(doc);
    return def && /^(app\.bsky\.feed|com\.atrarium)\./.test(doc.id) ? [[doc.id as string, def] as const] : [];
  }),
);

const RESPONSE_NAMES = new Set(Object.keys(ResponseType).filter((k) => Number.isNaN(Number(k))));
/** The names service auth (@atproto/xrpc-server's verifyJwt) and admin auth answer with. */
const AUTH_NAMES = new Set([
  "AuthMissing",
  "AuthRequired",
  "BadJwt",
  "BadJwtType",
  "BadJwtAudience",
  "BadJwtIss",
  "BadJwtLexiconMethod",
  "BadJwtSignature",
  "JwtExpired",
]);

// --- rows every method gets from its lexicon and its kind of auth ------------

export const token = (who: keyof Pick<World, "alice" | "bob">, lxm: string) => async (w: World) =>
  `Bearer ${await serviceJwt(w[who], lxm)}`;

function authRows(nsid: string, auth: Auth): Row[] {
  if (auth === "admin") {
    return [
      { what: "no credentials", authorization: async () => undefined },
      { what: "a wrong admin password", authorization: async () => `Basic ${btoa("admin:wrong")}` },
      { what: "a bearer token instead of the admin password", authorization: token("alice", nsid) },
    ].map((r) => ({ ...r, nsid, status: 401, error: "AuthRequired" }));
  }
  if (auth === "none" || auth === "viewer") return [];
  const rows: Row[] = badTokens(nsid);
  if (auth === "service")
    rows.unshift({
      nsid,
      what: "no token",
      authorization: async () => undefined,
      status: 401,
      error: "AuthMissing",
    });
  return rows;
}

/** Tokens a service-auth method must refuse, with the error each gets. */
export function badTokens(nsid: string): Row[] {
  const signed = (claims: { aud?: string; lxm?: string; exp?: number }) => async (w: World) => {
    const now = Math.floor(Date.now() / 1000);
    const exp = claims.exp ?? now + 60;
    const jwt = await createServiceJwt({
      iss: w.alice.did,
      aud: claims.aud ?? "did:web:feeds.test",
      lxm: claims.lxm ?? nsid,
      keypair: await Secp256k1Keypair.create(),
      iat: exp - 60,
      exp,
    });
    return `Bearer ${jwt}`;
  };
  return [
    {
      what: "a Basic header",
      authorization: async () => "Basic YWxpY2U6eA==",
      status: 401,
      error: "AuthMissing",
    },
    {
      what: "a token that is no JWT",
      authorization: async () => "Bearer garbage",
      status: 401,
      error: "BadJwt",
    },
    {
      what: "a token that expired five minutes ago",
      authorization: signed({ exp: Math.floor(Date.now() / 1000) - 300 }),
      status: 401,
      error: "JwtExpired",
    },
    {
      what: "a token for another service",
      authorization: async (w: World) =>
        `Bearer ${await serviceJwt(w.alice, nsid, "did:web:elsewhere.test")}`,
      status: 401,
      error: "BadJwtAudience",
    },
    {
      what: "a token for another method",
      authorization: token("alice", "com.atrarium.community.getMembers"),
      status: 401,
      error: "BadJwtLexiconMethod",
    },
    {
      what: "a token signed by someone else's key",
      authorization: signed({}),
      status: 401,
      error: "BadJwtSignature",
    },
  ].map((r) => ({ ...r, nsid }));
}

export function derivedRows(nsid: string, def: MethodDef, valid: ValidCall): Row[] {
  const rows: Row[] = [];
  const bad = (what: string, change: Partial<Row>): Row => ({
    nsid,
    what,
    status: 400,
    error: "InvalidRequest",
    ...change,
  });
  const withParam = (name: string, value: string | undefined) => (w: World) => {
    const params = { ...(valid.params?.(w) ?? {}) };
    if (value === undefined) delete params[name];
    else params[name] = value;
    return params;
  };
  rows.push(bad("the wrong HTTP method", { http: def.type === "query" ? "POST" : "GET" }));
  const properties = def.parameters?.properties ?? {};
  for (const name of def.parameters?.required ?? [])
    rows.push(bad(`${name} missing`, { params: withParam(name, undefined) }));
  for (const [name, param] of Object.entries(properties)) {
    if (param.type === "integer") {
      const range = new RegExp(`${name} must be an integer between ${param.minimum} and ${param.maximum}`);
      for (const value of [
        "abc",
        "1.5",
        "2e1",
        String((param.minimum ?? 0) - 1),
        String((param.maximum ?? 0) + 1),
      ])
        rows.push(
          bad(`${name}=${JSON.stringify(value)}`, { params: withParam(name, value), message: range }),
        );
    }
    if (param.type === "string") {
      rows.push(bad(`${name} far too long`, { params: withParam(name, FAR_TOO_LONG) }));
      if (param.format)
        rows.push(bad(`${name} not a ${param.format}`, { params: withParam(name, "nonsense") }));
      if (name === "cursor") rows.push(bad("a garbage cursor", { params: withParam(name, "garbage!") }));
    }
  }
  if (def.type === "procedure" && def.input?.schema) {
    const json = (w: World) => JSON.stringify(valid.body?.(w) ?? {});
    rows.push(bad("invalid JSON", { body: () => '{"uri": ' }));
    if (def.input.schema.required?.length) rows.push(bad("no body", { body: () => "" }));
    rows.push(bad("a body of the wrong type", { body: () => "[1, 2, 3]" }));
    rows.push(bad("a text body", { body: json, contentType: "text/plain" }));
    rows.push({
      nsid,
      what: "a 2 MB body",
      body: () => JSON.stringify({ padding: "x".repeat(2 * 1024 * 1024) }),
      status: 413,
      error: "PayloadTooLarge",
    });
    for (const [name, property] of Object.entries(def.input.schema.properties ?? {})) {
      const wrong = property.type === "string" ? 42 : "not an array";
      rows.push(
        bad(`${name} of the wrong type`, {
          body: (w) => JSON.stringify({ ...(valid.body?.(w) ?? {}), [name]: wrong }),
        }),
      );
    }
  }
  return [...rows, ...authRows(nsid, valid.auth)];
}

// --- addresses and cursors the rows use --------------------------------------

export const feedOf = (uri: string) =>
  uri.replace("com.atrarium.community.config", "app.bsky.feed.generator");
export const madeUpCommunity = (w: World) => `at://${w.alice.did}/com.atrarium.community.config/3kmadeup0000`;
export const positionCursor = (w: World) => encodeCursor({ sortAt: Date.now() * 1000, uri: w.community });
export const keysetCursor = () => encodeKeyset("did:plc:aaaaaaaaaaaaaaaaaaaaaaaa", "3kabc");

/** Each method's derived rows, then its rows written by hand. */
export const rowsOf = (calls: Record<string, ValidCall>, hand: Row[]) =>
  Object.entries(calls).flatMap(([nsid, valid]) => {
    const def = SERVED.get(nsid);
    return def ? [...derivedRows(nsid, def, valid), ...hand.filter((r) => r.nsid === nsid)] : [];
  });

// --- running a row -----------------------------------------------------------

let client = 0;

export async function send(world: World, row: Row, valid: ValidCall): Promise<Response> {
  const def = SERVED.get(row.nsid);
  const http = row.http ?? (def?.type === "procedure" ? "POST" : "GET");
  const url = new URL(`${ORIGIN}/xrpc/${row.nsid}`);
  for (const [k, v] of Object.entries((row.params ?? valid.params)?.(world) ?? {}))
    url.searchParams.set(k, v);
  const authorization = row.authorization
    ? await row.authorization(world)
    : valid.auth === "admin"
      ? ADMIN
      : valid.auth === "service"
        ? await token("alice", row.nsid)(world)
        : undefined;
  const body =
    http === "POST" && def?.type === "procedure"
      ? (row.body?.(world) ?? (valid.body ? JSON.stringify(valid.body(world)) : undefined))
      : undefined;
  return SELF.fetch(url, {
    method: http,
    headers: {
      // Each row is its own client, so requestIndex's per-client limit never answers instead.
      "cf-connecting-ip": `198.51.100.${++client % 250}`,
      ...(authorization ? { authorization } : {}),
      ...(body !== undefined ? { "content-type": row.contentType ?? "application/json" } : {}),
    },
    ...(body !== undefined ? { body } : {}),
  });
}

/** The checks every XRPC answer gets, whatever the row. */
export async function checkAnswer(row: Row, res: Response): Promise<{ error?: string; message?: string }> {
  const label = `${row.nsid}: ${row.what}`;
  if (res.status >= 500 && !row.outage)
    throw new Error(`${label}: answered ${res.status}, which only a real upstream outage may`);
  const body = (await res.json()) as { error?: unknown; message?: unknown };
  expect(Object.keys(body).sort(), label).toEqual(["error", "message"]);
  expect(body.message, label).toBeTypeOf("string");
  const declared = new Set((SERVED.get(row.nsid)?.errors ?? []).map((e) => e.name));
  const name = String(body.error);
  expect(
    RESPONSE_NAMES.has(name) || declared.has(name) || AUTH_NAMES.has(name),
    `${label}: "${name}" is no XRPC error name of this method`,
  ).toBe(true);
  return body as { error: string; message: string };
}

/** A PDS with an owner (alice) and a member (bob) of an indexed community, and DIDs that do not work. */
export async function setUpWorld(): Promise<World> {
  const pds = await startPds();
  const [alice, bob] = await Promise.all([createAccount(pds, "alice"), createAccount(pds, "bob")]);
  const hex = Array.from(crypto.getRandomValues(new Uint8Array(4)), (b) =>
    b.toString(16).padStart(2, "0"),
  ).join("");
  const config = await writeRecord(alice, "com.atrarium.community.config", {
    name: "Bad input",
    hashtag: `#atr_${hex}`,
    stage: "community",
    createdAt: new Date().toISOString(),
  });
  const membership = await writeRecord(bob, "com.atrarium.community.membership", {
    community: config.uri,
    role: "member",
    joinedAt: new Date().toISOString(),
  });
  const post = await writeRecord(bob, "app.bsky.feed.post", {
    text: `hello #atr_${hex}`,
    createdAt: new Date().toISOString(),
  });
  for (const uri of [config.uri, membership.uri, post.uri]) {
    const res = await SELF.fetch(`${ORIGIN}/xrpc/com.atrarium.sync.requestIndex`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ uri }),
    });
    expect(res.status, uri).toBe(200);
  }
  const plcDid = async (pds: string | null) => {
    const res = await fetch(`${inject("networkControlUrl")}/did-plc`, {
      method: "POST",
      body: JSON.stringify({ pds }),
    });
    return ((await res.json()) as { did: string }).did;
  };
  return {
    alice,
    bob,
    community: config.uri,
    feed: feedOf(config.uri),
    post: post.uri,
    unknownDid: "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa",
    noPdsDid: await plcDid(null),
    downPdsDid: await plcDid("http://127.0.0.1:1"),
    downDidWeb: "did:web:localhost%3A1",
  };
}
