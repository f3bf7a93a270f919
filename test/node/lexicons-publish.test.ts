// `npm run lexicons:publish` against a real PDS and PLC (@atproto/dev-env):
// a dry run writes nothing, --apply publishes every com.atrarium.* lexicon
// into a local authority account, each NSID resolves back through
// @atproto/lex-resolver (only DNS stood in for, from the printed TXT records)
// to the document in lexicons/, and the breaking-change guard refuses a
// deliberately broken edit, naming the fields.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestNetworkNoAppView } from "@atproto/dev-env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadOwnLexicons } from "../../scripts/lexicons/documents.ts";
import { type Account, createAccount, startNetwork } from "./client-env.ts";
import { type Ran, runPublish, ZoneLexResolver, zoneFromOutput } from "./lexicon-env.ts";

const LEXICONS = fileURLToPath(new URL("../../lexicons", import.meta.url));
const SCHEMA = "com.atproto.lexicon.schema";
/** The document inside a com.atproto.lexicon.schema record. */
interface ObjectSchema {
  required: string[];
  properties: Record<string, Record<string, unknown>>;
}
const withoutType = ({ $type: _, ...doc }: Record<string, unknown>) => doc;

describe("npm run lexicons:publish", () => {
  let network: TestNetworkNoAppView;
  let authority: Account;
  let home: string;
  let env: NodeJS.ProcessEnv;
  const local = loadOwnLexicons(LEXICONS);
  const nsids = [...local.keys()];

  const publish = (args: string[], dir = LEXICONS): Promise<Ran> =>
    runPublish(["--authority", authority.handle, "--pds", network.pds.url, "--lexicons", dir, ...args], env);
  const published = async () => {
    const res = await authority.agent.com.atproto.repo.listRecords({
      repo: authority.did,
      collection: SCHEMA,
      limit: 100,
    });
    return new Map(res.data.records.map((r) => [r.uri.split("/").pop() as string, r]));
  };
  const copyLexicons = (): string => {
    const dir = mkdtempSync(join(home, "lexicons-"));
    cpSync(LEXICONS, dir, { recursive: true });
    return dir;
  };
  /** A copy of lexicons/ with the config record's schema edited. */
  const withConfigEdit = (edit: (record: ObjectSchema) => void): string => {
    const dir = copyLexicons();
    const path = join(dir, "com/atrarium/community/config.json");
    const doc = JSON.parse(readFileSync(path, "utf8"));
    edit(doc.defs.main.record);
    writeFileSync(path, JSON.stringify(doc, null, 2));
    return dir;
  };
  const line = (out: string, nsid: string) => out.split("\n").find((l) => l.includes(` ${nsid} `)) ?? "";

  beforeAll(async () => {
    network = await startNetwork("lexicons_publish");
    authority = await createAccount(network, "atrarium-lexicons");
    home = mkdtempSync(join(tmpdir(), "atrarium-lexicons-"));
    // No atrarium login session here; the app password comes from the environment.
    env = { ...process.env, ATRARIUM_HOME: home, ATRARIUM_PASSWORD: authority.password };
  }, 60_000);

  afterAll(async () => {
    await network?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it("a dry run lists every com.atrarium lexicon as missing, prints one TXT record per authority and writes nothing", async () => {
    const ran = await publish([]);
    expect(ran.stderr).toBe("");
    expect(ran.code).toBe(0);
    console.log(`lexicons:publish dry run:\n${ran.stdout}`);
    expect(nsids.length).toBeGreaterThan(10);
    for (const nsid of nsids) expect(line(ran.stdout, nsid)).toMatch(/^\s+missing\s/);
    // The authority of an NSID is its domain part reversed: com.atrarium.community.config -> community.atrarium.com.
    const authorities = new Set(nsids.map((n) => n.split(".").slice(0, -1).reverse().join(".")));
    const zone = zoneFromOutput(ran.stdout);
    expect([...zone.keys()].sort()).toEqual([...authorities].map((a) => `_lexicon.${a}`).sort());
    for (const values of zone.values()) expect(values).toEqual([`did=${authority.did}`]);
    expect(ran.stdout).toContain(`Dry run: nothing written; ${nsids.length} to create, 0 to update`);
    expect((await published()).size).toBe(0);
  });

  it("--apply publishes every lexicon as a com.atproto.lexicon.schema record keyed by its NSID; a second dry run finds them the same", async () => {
    const applied = await publish(["--apply"]);
    expect(applied.stderr).toBe("");
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain(`Published: ${nsids.length} created, 0 updated, 0 deleted.`);
    const records = await published();
    expect([...records.keys()].sort()).toEqual([...nsids].sort());
    for (const [nsid, record] of records) {
      expect(record.value).toEqual({ $type: SCHEMA, ...local.get(nsid) });
    }
    const again = await publish([]);
    expect(again.code).toBe(0);
    for (const nsid of nsids) expect(line(again.stdout, nsid)).toMatch(/^\s+same\s/);
    expect(again.stdout).toContain("everything is published already");
  });

  it("every NSID resolves back through @atproto/lex-resolver to the document in lexicons/", async () => {
    const zone = zoneFromOutput((await publish([])).stdout);
    const resolver = new ZoneLexResolver(zone, network.plc.url);
    for (const nsid of nsids) {
      const resolved = await resolver.get(nsid);
      expect(resolved.uri.toString()).toBe(`at://${authority.did}/${SCHEMA}/${nsid}`);
      expect(withoutType(resolved.lexicon)).toEqual(local.get(nsid));
    }
    // Without the TXT record of its authority, an NSID does not resolve.
    const partial = new Map([...zone].filter(([name]) => name !== "_lexicon.community.atrarium.com"));
    await expect(
      new ZoneLexResolver(partial, network.plc.url).get("com.atrarium.community.config"),
    ).rejects.toThrow(/community\.atrarium\.com/);
  });

  it("refuses a change that breaks existing records, naming each field, and writes nothing", async () => {
    const before = (await published()).get("com.atrarium.community.config")?.cid;
    const dir = withConfigEdit((record) => {
      record.properties.motto = { type: "string", maxLength: 3000 };
      record.required.push("motto");
      (record.properties.name as Record<string, unknown>).maxGraphemes = 50;
      delete record.properties.parentCommunity;
    });
    const ran = await publish(["--apply"], dir);
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain("refusing to publish; nothing was written");
    expect(ran.stderr).toContain('com.atrarium.community.config#main: field "motto": new and required');
    expect(ran.stderr).toContain(
      'com.atrarium.community.config#main: field "name": maxGraphemes narrowed from 100 to 50',
    );
    expect(ran.stderr).toContain('com.atrarium.community.config#main: field "parentCommunity": removed');
    expect(line(ran.stdout, "com.atrarium.community.config")).toMatch(/^\s+different\s/);
    expect((await published()).get("com.atrarium.community.config")?.cid).toBe(before);
  });

  it("never deletes a published lexicon that lexicons/ lacks unless --prune is given", async () => {
    const dir = copyLexicons();
    rmSync(join(dir, "com/atrarium/admin/startFirehose.json"));
    const applied = await publish(["--apply"], dir);
    expect(applied.code).toBe(0);
    expect(line(applied.stdout, "com.atrarium.admin.startFirehose")).toMatch(
      /^\s+extra\s.*kept \(--prune deletes it\)/,
    );
    expect((await published()).has("com.atrarium.admin.startFirehose")).toBe(true);

    const usage = await publish(["--prune"], dir);
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain("--prune deletes records, so it only runs with --apply");

    const pruned = await publish(["--apply", "--prune"], dir);
    expect(pruned.stdout).toContain("Published: 0 created, 0 updated, 1 deleted.");
    expect((await published()).has("com.atrarium.admin.startFirehose")).toBe(false);
    expect((await published()).size).toBe(nsids.length - 1);
    expect((await publish(["--apply"])).stdout).toContain("Published: 1 created, 0 updated, 0 deleted.");
  });

  it("refuses a permission set that grants NSIDs outside its own namespace", async () => {
    const dir = copyLexicons();
    const set = JSON.parse(readFileSync(join(dir, "com/atrarium/authMember.json"), "utf8"));
    // Under com.atrarium.community, the set may not grant com.atrarium.sync.* or app.bsky.*.
    set.id = "com.atrarium.community.authMember";
    set.defs.main.permissions.push({
      type: "permission",
      resource: "repo",
      collection: ["app.bsky.feed.post"],
    });
    writeFileSync(join(dir, "com/atrarium/community/authMember.json"), JSON.stringify(set));
    const ran = await publish([], dir);
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain(
      "com.atrarium.community.authMember: a permission set may only grant NSIDs under com.atrarium.community.*; com.atrarium.sync.requestIndex would be dropped",
    );
    expect(ran.stderr).toContain("app.bsky.feed.post would be dropped");
  });

  it("publishes a compatible change (a new optional field) as an update", async () => {
    const dir = withConfigEdit((record) => {
      record.properties.motto = { type: "string", maxLength: 3000, maxGraphemes: 300 };
    });
    const dry = await publish([], dir);
    expect(dry.code).toBe(0);
    expect(line(dry.stdout, "com.atrarium.community.config")).toMatch(/^\s+different\s/);
    expect(dry.stdout).toContain("0 to create, 1 to update");
    const applied = await publish(["--apply"], dir);
    expect(applied.stdout).toContain("Published: 0 created, 1 updated, 0 deleted.");
    const zone = zoneFromOutput(applied.stdout);
    const resolved = await new ZoneLexResolver(zone, network.plc.url).get("com.atrarium.community.config");
    expect(withoutType(resolved.lexicon)).toEqual(loadOwnLexicons(dir).get("com.atrarium.community.config"));
    // Going back is removing a field: refused like any other break.
    const back = await publish(["--apply"]);
    expect(back.code).toBe(1);
    expect(back.stderr).toContain('com.atrarium.community.config#main: field "motto": removed');
  });

  it("publishes this release over the last one: the changed lexicons as updates, getJoinRequests as new, nothing refused", async () => {
    // A second authority, so the release is published from scratch whatever the tests above left.
    const release = await createAccount(network, "atrarium-release");
    const asRelease = (args: string[], dir: string) =>
      runPublish(["--authority", release.handle, "--pds", network.pds.url, "--lexicons", dir, ...args], {
        ...env,
        ATRARIUM_PASSWORD: release.password,
      });
    const previous = copyLexicons();
    cpSync(fileURLToPath(new URL("./fixtures/lexicons-wave2", import.meta.url)), previous, {
      recursive: true,
    });
    rmSync(join(previous, "com/atrarium/community/getJoinRequests.json"));
    const first = await asRelease(["--apply"], previous);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`Published: ${nsids.length - 1} created, 0 updated, 0 deleted.`);

    const next = await asRelease(["--apply"], LEXICONS);
    expect(next.stderr).toBe("");
    expect(next.code).toBe(0);
    expect(next.stdout).toContain("Published: 1 created, 8 updated, 0 deleted.");
    const records = await release.agent.com.atproto.repo.listRecords({
      repo: release.did,
      collection: SCHEMA,
      limit: 100,
    });
    for (const record of records.data.records) {
      expect(record.value).toEqual({ $type: SCHEMA, ...local.get(record.uri.split("/").pop() as string) });
    }
    expect(records.data.records).toHaveLength(nsids.length);
  });
});
