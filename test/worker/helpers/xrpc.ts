// Calls into the Worker under test (SELF), as an app or the AppView would.
import { SELF } from "cloudflare:test";

const BASE = "https://feeds.test/xrpc";
export const ADMIN = `Basic ${btoa("admin:test-admin-password")}`;

export async function xrpc<T = Record<string, unknown>>(
  method: string,
  init: { params?: Record<string, string>; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: T }> {
  const url = new URL(`${BASE}/${method}`);
  for (const [k, v] of Object.entries(init.params ?? {})) url.searchParams.set(k, v);
  const res = await SELF.fetch(url, {
    method: init.body === undefined ? "GET" : "POST",
    headers: { ...(init.body === undefined ? {} : { "content-type": "application/json" }), ...init.headers },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { status: res.status, body: (await res.json()) as T };
}

export const requestIndex = (uri: string, headers?: Record<string, string>) =>
  xrpc<{ uri: string; status: string; reason?: string; error?: string; message?: string }>(
    "com.atrarium.sync.requestIndex",
    { body: { uri }, ...(headers ? { headers } : {}) },
  );

/** Every post of a feed, walking all pages; throws unless each page answers 200. */
export async function feedPosts(feed: string): Promise<string[]> {
  const posts: string[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 100; i++) {
    const res = await xrpc<{ feed: { post: string }[]; cursor?: string; error?: string; message?: string }>(
      "app.bsky.feed.getFeedSkeleton",
      { params: { feed, limit: "100", ...(cursor ? { cursor } : {}) } },
    );
    if (res.status !== 200)
      throw new Error(`getFeedSkeleton answered ${res.status} ${res.body.error}: ${res.body.message}`);
    posts.push(...res.body.feed.map((f) => f.post));
    if (!res.body.cursor) return posts;
    cursor = res.body.cursor;
  }
  throw new Error("feed does not end");
}
