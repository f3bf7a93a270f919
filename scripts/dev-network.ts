// A local AT Protocol network for development and tests: a PLC directory and
// PDSes from @atproto/dev-env, on 127.0.0.1, behind a small HTTP control API:
//   POST /pds             -> { url }   start a fresh PDS (shared PLC)
//   POST /pds/stop?url=U  -> 204       stop that PDS
//   PUT  /did-web         -> { did }   publish a did:web (did:web:localhost%3A<control port>)
//                                      whose #atproto key is the multibase key in the body
//   GET  /.well-known/did.json         that did:web's document
//   GET  /did-web/hits    -> { hits }  how often that document was fetched
//   POST /did-plc         -> { did }   register a did:plc whose PDS endpoint is the body's
//                                      {"pds": "..."}, whatever it says (for the address guard's tests),
//                                      and whose #atproto key is its "signingKey" (a did:key) if given
//                                      (so a test can sign service-auth JWTs as that DID)
// Run directly it prints one JSON line {"plcUrl","controlUrl"} once ready and
// keeps running until SIGINT/SIGTERM.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { Secp256k1Keypair } from "@atproto/crypto";
import { TestPds, TestPlc } from "@atproto/dev-env";

export interface DevNetwork {
  plcUrl: string;
  controlUrl: string;
  startPds(options?: { port?: number }): Promise<TestPds>;
  close(): Promise<void>;
}

export async function startDevNetwork(
  options: { plcPort?: number; controlPort?: number } = {},
): Promise<DevNetwork> {
  const plc = await TestPlc.create(options.plcPort ? { port: options.plcPort } : {});
  const pdses = new Map<string, TestPds>();
  const startPds = async (pdsOptions: { port?: number } = {}) => {
    const pds = await TestPds.create({
      didPlcUrl: plc.url,
      ...(pdsOptions.port ? { port: pdsOptions.port } : {}),
    });
    pdses.set(pds.url, pds);
    return pds;
  };
  // A did:web whose key the caller chooses: lets tests sign service-auth JWTs themselves.
  let webKey: string | undefined;
  let webHits = 0;
  let plcDids = 0;
  const webDid = () => `did:web:localhost%3A${(control.address() as AddressInfo).port}`;
  const control: Server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://control");
      if (req.method === "POST" && url.pathname === "/pds") {
        const pds = await startPds();
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ url: pds.url }));
      } else if (req.method === "POST" && url.pathname === "/pds/stop") {
        const pds = pdses.get(url.searchParams.get("url") ?? "");
        if (!pds) return void res.writeHead(404).end();
        pdses.delete(pds.url);
        await pds.close();
        res.writeHead(204).end();
      } else if (req.method === "PUT" && url.pathname === "/did-web") {
        let body = "";
        for await (const chunk of req) body += String(chunk);
        webKey = body.trim();
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ did: webDid() }));
      } else if (req.method === "GET" && url.pathname === "/did-web/hits") {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ hits: webHits }));
      } else if (req.method === "POST" && url.pathname === "/did-plc") {
        let body = "";
        for await (const chunk of req) body += String(chunk);
        const { pds, signingKey } = JSON.parse(body) as { pds: string; signingKey?: string };
        const keypair = await Secp256k1Keypair.create();
        const did = await plc.getClient().createDid({
          signingKey: signingKey ?? keypair.did(),
          handle: `guard${++plcDids}.test`,
          pds,
          rotationKeys: [keypair.did()],
          signer: keypair,
        });
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ did }));
      } else if (req.method === "GET" && url.pathname === "/.well-known/did.json" && webKey) {
        webHits++;
        const did = webDid();
        const doc = {
          "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
          id: did,
          verificationMethod: [
            { id: `${did}#atproto`, type: "Multikey", controller: did, publicKeyMultibase: webKey },
          ],
        };
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(doc));
      } else {
        res.writeHead(404).end();
      }
    } catch (err) {
      res.writeHead(500).end(String(err));
    }
  });
  await new Promise<void>((resolve) => control.listen(options.controlPort ?? 0, "127.0.0.1", resolve));
  return {
    plcUrl: plc.url,
    controlUrl: `http://127.0.0.1:${(control.address() as AddressInfo).port}`,
    startPds,
    async close() {
      control.close();
      await Promise.allSettled([...pdses.values()].map((p) => p.close()));
      await plc.close();
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const network = await startDevNetwork();
  console.log(JSON.stringify({ plcUrl: network.plcUrl, controlUrl: network.controlUrl }));
  const stop = async () => {
    await network.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
