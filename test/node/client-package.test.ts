// The typed client as another app gets it: `npm pack` (which builds dist/
// through prepack), the tarball installed into an empty folder, a consumer
// file importing `atrarium/client` type-checked there with tsc (strict,
// NodeNext, the settings of `tsc --init`), then run against the local stack: a
// PDS and PLC from @atproto/dev-env and the Worker in workerd.
import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { TestNetworkNoAppView } from "@atproto/dev-env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AtrariumClient } from "../../src/client/index.ts";
import { type Account, createAccount, type RunningWorker, startNetwork, startWorker } from "./client-env.ts";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CONSUMER = fileURLToPath(new URL("../package-consumer/consumer.ts", import.meta.url));
const version = (name: string) =>
  (JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8")) as { version: string })
    .version;

interface Packed {
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: { path: string }[];
}

describe("atrarium/client as a packed, installed package", () => {
  let dir: string;
  let packed: Packed;
  let network: TestNetworkNoAppView;
  let worker: RunningWorker;
  let alice: Account;
  let bob: Account;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "atrarium-consumer-"));
    const [pack, net] = await Promise.all([
      run("npm", ["pack", "--json", "--pack-destination", dir], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }),
      startNetwork("client_package"),
    ]);
    network = net;
    // prepack's build prints its own lines before npm's JSON.
    const json = pack.stdout.slice(pack.stdout.search(/^\[/m));
    packed = (JSON.parse(json) as Packed[])[0] as Packed;
    console.log(
      `npm pack: ${packed.filename}, ${packed.size} bytes packed, ${packed.unpackedSize} unpacked, ${packed.entryCount} files`,
    );
    writeFileSync(
      join(dir, "package.json"),
      JSON.stringify({ name: "consumer", private: true, type: "module" }),
    );
    copyFileSync(CONSUMER, join(dir, "consumer.ts"));
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: "nodenext",
          moduleResolution: "nodenext",
          target: "es2022",
          // @atproto/api's types use the fetch types of the DOM library.
          lib: ["es2023", "dom"],
          types: ["node"],
          outDir: "out",
          // As `tsc --init` sets it. The check below that a wrong call is an error
          // shows the package's declarations resolve (an unresolved one would be any).
          skipLibCheck: true,
        },
        files: ["consumer.ts"],
      }),
    );
    // The exact versions this repository uses are in npm's cache after npm ci.
    await run(
      "npm",
      [
        "install",
        "--prefer-offline",
        "--no-audit",
        "--no-fund",
        join(dir, packed.filename),
        `@atproto/api@${version("@atproto/api")}`,
        `typescript@${version("typescript")}`,
        `@types/node@${version("@types/node")}`,
      ],
      { cwd: dir, maxBuffer: 16 * 1024 * 1024 },
    );
    worker = await startWorker(network.plc.url);
    alice = await createAccount(network, "alice");
    bob = await createAccount(network, "bob");
  }, 180_000);

  afterAll(async () => {
    await worker?.dispose();
    await network?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("holds the compiled client and CLI and nothing of the Worker", () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toContain("dist/client/index.js");
    expect(paths).toContain("dist/client/index.d.ts");
    expect(paths).toContain("dist/cli/main.js");
    const unexpected = paths.filter(
      (p) =>
        !/^dist\/(client|cli)\//.test(p) &&
        !/^dist\/records\/(address|hashtags|rules|feed-generator|approval-switch)\.(js|d\.ts)$/.test(p) &&
        !/^dist\/text\/(utf8|graphemes|tid)\.(js|d\.ts)$/.test(p) &&
        !/^dist\/net\/hosts\.(js|d\.ts)$/.test(p) &&
        !["package.json", "README.md", "bin/atrarium.js"].includes(p),
    );
    expect(unexpected).toEqual([]);
  });

  it("type-checks a consumer importing atrarium/client with tsc; a wrong call is a type error", async () => {
    const tsc = join(dir, "node_modules/typescript/bin/tsc");
    const checked = await run(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: dir }).catch(
      (err: { stdout?: string; code?: number }) => ({ stdout: err.stdout ?? "", code: err.code }),
    );
    expect(checked.stdout).toBe("");
    // A type error in the consumer is caught, so the check can fail.
    writeFileSync(
      join(dir, "wrong.ts"),
      'import { AtrariumClient } from "atrarium/client";\nnew AtrariumClient({});\n',
    );
    const wrong = await run(
      process.execPath,
      [tsc, "--noEmit", "--strict", "--module", "nodenext", "--skipLibCheck", "wrong.ts"],
      {
        cwd: dir,
      },
    ).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? "" }));
    expect(wrong.stdout).toMatch(/wrong\.ts.*service/s);
  });

  it("runs the consumer against the local stack: lists, reads the community and its feed, joins with an AtpAgent", async () => {
    const owner = new AtrariumClient({ service: worker.url, plcUrl: network.plc.url, agent: alice.agent });
    const created = await owner.createCommunity({ name: "Packaged Garden" });
    await owner.post(created.uri, "Seedlings are up");
    const config = {
      service: worker.url,
      plcUrl: network.plc.url,
      pds: network.pds.url,
      handle: bob.handle,
      password: bob.password,
      community: created.uri,
    };
    const { stdout } = await run(process.execPath, [join(dir, "out/consumer.js"), JSON.stringify(config)], {
      cwd: dir,
    });
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({
      listed: ["Packaged Garden"],
      name: "Packaged Garden",
      hashtag: created.hashtag,
      feed: [`${alice.handle}: Seedlings are up ${created.hashtag}`],
      invalid: "invalid",
      indexed: ["indexed"],
      membership: "member",
    });
    const membership = await bob.agent.com.atproto.repo.getRecord({
      repo: bob.did,
      collection: "com.atrarium.community.membership",
      rkey: String(result.joined).split("/").pop() as string,
    });
    expect(membership.data.value).toMatchObject({ community: created.uri, role: "member" });
  });

  it("installs a working atrarium command", async () => {
    const { stdout } = await run(join(dir, "node_modules/.bin/atrarium"), ["--help"], { cwd: dir });
    expect(stdout).toContain("Usage: atrarium [options] <command>");
  });
});
