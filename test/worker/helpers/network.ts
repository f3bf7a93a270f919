// Test helpers for the real PDS/PLC network started by test/setup/atproto-network.ts.
import { AtpAgent } from "@atproto/api";
import { inject } from "vitest";

let counter = 0;

export async function startPds(): Promise<string> {
  const res = await fetch(`${inject("networkControlUrl")}/pds`, { method: "POST" });
  if (!res.ok) throw new Error(`could not start a PDS: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { url: string }).url;
}

export async function stopPds(url: string): Promise<void> {
  const res = await fetch(`${inject("networkControlUrl")}/pds/stop?url=${encodeURIComponent(url)}`, {
    method: "POST",
  });
  if (res.status !== 204) throw new Error(`could not stop ${url}: ${res.status}`);
}

export interface Account {
  agent: AtpAgent;
  did: string;
  handle: string;
}

export async function createAccount(pdsUrl: string, name: string): Promise<Account> {
  const agent = new AtpAgent({ service: pdsUrl });
  const handle = `${name}${++counter}${Date.now() % 100000}.test`;
  await agent.createAccount({ handle, email: `${handle}@example.com`, password: "password" });
  return { agent, did: agent.assertDid, handle };
}

export async function writeRecord(account: Account, collection: string, record: Record<string, unknown>) {
  const res = await account.agent.com.atproto.repo.createRecord({
    repo: account.did,
    collection,
    record: { $type: collection, ...record },
  });
  return { uri: res.data.uri, cid: res.data.cid, rkey: res.data.uri.split("/").pop() as string };
}

export async function deleteRecord(account: Account, uri: string) {
  const [, , , collection, rkey] = uri.split("/");
  await account.agent.com.atproto.repo.deleteRecord({
    repo: account.did,
    collection: collection as string,
    rkey: rkey as string,
  });
}

/** A service-auth JWT minted by the account's PDS for this Worker. */
export async function serviceJwt(account: Account, lxm: string, aud = "did:web:feeds.test"): Promise<string> {
  const res = await account.agent.com.atproto.server.getServiceAuth({ aud, lxm });
  return res.data.token;
}

/** Publishes a did:web whose #atproto key is `keypair`'s, so a test can sign its own service-auth JWTs. */
export async function publishDidWeb(keypair: { did(): string }): Promise<string> {
  const res = await fetch(`${inject("networkControlUrl")}/did-web`, {
    method: "PUT",
    body: keypair.did().slice("did:key:".length),
  });
  if (!res.ok) throw new Error(`could not publish a did:web: ${res.status}`);
  return ((await res.json()) as { did: string }).did;
}

/** Registers a did:plc (no repo) whose #atproto key is `keypair`'s, so a test can sign its own service-auth JWTs. */
export async function registerDidPlc(keypair: { did(): string }, pds: string): Promise<string> {
  const res = await fetch(`${inject("networkControlUrl")}/did-plc`, {
    method: "POST",
    body: JSON.stringify({ pds, signingKey: keypair.did() }),
  });
  if (!res.ok) throw new Error(`could not register a did:plc: ${res.status}`);
  return ((await res.json()) as { did: string }).did;
}

/** Replaces a record (an update on the firehose). */
export async function putRecord(account: Account, uri: string, record: Record<string, unknown>) {
  const [, , , collection, rkey] = uri.split("/") as [string, string, string, string, string];
  const res = await account.agent.com.atproto.repo.putRecord({
    repo: account.did,
    collection,
    rkey,
    record: { $type: collection, ...record },
  });
  return { uri: res.data.uri, cid: res.data.cid, rkey };
}
