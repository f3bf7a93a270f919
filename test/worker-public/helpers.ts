// What the worker-public tests share: a did:plc whose document says what the
// test wants, and the hosts the scripted public internet was asked for.
import { inject } from "vitest";

/** A did:plc on the test PLC whose DID document names `pds` as its PDS endpoint (or none). */
export async function didWithPds(pds: string | null, handle?: string): Promise<string> {
  const res = await fetch(`${inject("networkControlUrl")}/did-plc`, {
    method: "POST",
    body: JSON.stringify({ pds, ...(handle ? { handle } : {}) }),
  });
  if (!res.ok) throw new Error(`could not register a did:plc: ${res.status}`);
  return ((await res.json()) as { did: string }).did;
}

/** The hosts the Worker has asked so far (the test's own fetch goes through the same scripted network). */
export async function hits(): Promise<Record<string, number>> {
  return (await (await fetch("https://hits.guard.test/")).json()) as Record<string, number>;
}
