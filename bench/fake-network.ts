// A PLC directory, a PDS and an AppView in one small HTTP server on
// 127.0.0.1, for the benchmark's synthetic accounts: each DID resolves to this
// server as its PDS, every post record reads as its text from the bench's own
// formula, and every account has a verified handle. Only what the community
// page asks for (app.bsky.feed.getPosts and app.bsky.actor.getProfiles when
// the Worker reads through an AppView).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Secp256k1Keypair } from "@atproto/crypto";

export interface FakeNetwork {
  url: string;
  /** The #atproto key of every DID here: the bench signs service-auth JWTs as any of them. */
  keypair: Secp256k1Keypair;
  /** How many requests it answered (the page's misses). */
  requests(): number;
  close(): Promise<void>;
}

const json = (body: unknown) => JSON.stringify(body);

export async function startFakeNetwork(
  post: (uri: string) => { text: string; createdAt: string },
): Promise<FakeNetwork> {
  const keypair = await Secp256k1Keypair.create();
  const key = keypair.did().slice("did:key:".length);
  let served = 0;
  let url = "";
  const handleOf = (did: string) => `${did.slice("did:plc:".length)}.bench.test`;
  const server: Server = createServer((req, res) => {
    served++;
    const at = new URL(req.url ?? "/", "http://fake");
    const send = (status: number, body: unknown) =>
      res.writeHead(status, { "content-type": "application/json" }).end(json(body));
    const path = decodeURIComponent(at.pathname);
    if (path.startsWith("/did:plc:")) {
      const did = path.slice(1);
      return send(200, {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        id: did,
        alsoKnownAs: [`at://${handleOf(did)}`],
        verificationMethod: [
          { id: `${did}#atproto`, type: "Multikey", controller: did, publicKeyMultibase: key },
        ],
        service: [{ id: "#atproto_pds", type: "AtprotoPersonalDataServer", serviceEndpoint: url }],
      });
    }
    const repo = at.searchParams.get("repo") ?? "";
    if (at.pathname === "/xrpc/com.atproto.repo.getRecord") {
      const uri = `at://${repo}/${at.searchParams.get("collection")}/${at.searchParams.get("rkey")}`;
      const cid = "bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm";
      return send(200, { uri, cid, value: { $type: "app.bsky.feed.post", ...post(uri) } });
    }
    if (at.pathname === "/xrpc/com.atproto.identity.resolveHandle") {
      // How local development verifies a handle under .test (src/net/verified-handles.ts).
      const handle = at.searchParams.get("handle") ?? "";
      return send(200, { did: `did:plc:${handle.slice(0, -".bench.test".length)}` });
    }
    if (at.pathname === "/xrpc/app.bsky.feed.getPosts") {
      const posts = at.searchParams.getAll("uris").map((uri) => {
        const did = uri.split("/")[2] as string;
        const cid = "bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm";
        return { uri, cid, author: { did, handle: handleOf(did) }, record: { ...post(uri) } };
      });
      return send(200, { posts });
    }
    if (at.pathname === "/xrpc/app.bsky.actor.getProfiles") {
      const profiles = at.searchParams.getAll("actors").map((did) => ({ did, handle: handleOf(did) }));
      return send(200, { profiles });
    }
    send(404, { error: "NotFound" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    keypair,
    requests: () => served,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
