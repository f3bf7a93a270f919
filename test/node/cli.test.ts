// The `atrarium` command line against a real PDS and PLC (@atproto/dev-env),
// with the Atrarium Worker down. The bin runs as a child process for the
// contract (help, errors, exit codes, login and the session file, --json);
// the longer flows call the same run() in-process to keep the suite quick.
import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestNetworkNoAppView } from "@atproto/dev-env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commands } from "../../src/cli/commands.ts";
import { run } from "../../src/cli/main.ts";
import { type Account, closedPort, createAccount, startNetwork } from "./client-env.ts";

const BIN = fileURLToPath(new URL("../../bin/atrarium.js", import.meta.url));
const SERVICE_DID = "did:web:feeds.test";

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

describe("atrarium command line", () => {
  let network: TestNetworkNoAppView;
  let alice: Account & { appPassword: string };
  let bob: Account & { appPassword: string };
  let home: string;
  let bobHome: string;
  let env: NodeJS.ProcessEnv;

  /** Runs bin/atrarium.js in a child process (never blocking the PDS in this process). */
  const cli = (args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Ran> =>
    new Promise((resolve) => {
      const child = execFile(
        process.execPath,
        [BIN, ...args],
        { env: { ...env, ...opts.env }, timeout: 30_000 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
      child.stdin?.end(opts.input ?? "");
    });

  /** The same command line in-process (same parser, commands and error mapping). */
  const inProcess = async (args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Ran> => {
    let stdout = "";
    let stderr = "";
    const code = await run(args, {
      stdout: (t) => {
        stdout += t;
      },
      stderr: (t) => {
        stderr += t;
      },
      env: { ...env, ...extraEnv },
      readStdin: async () => "",
      prompt: async () => "",
      isTTY: false,
    });
    return { code, stdout, stderr };
  };
  const asBob = (args: string[]) => inProcess(args, { ATRARIUM_HOME: bobHome });
  const getRecord = async (uri: string) => {
    const [, , repo, collection, rkey] = uri.split("/");
    return (
      await alice.agent.com.atproto.repo.getRecord({
        repo: repo as string,
        collection: collection as string,
        rkey: rkey as string,
      })
    ).data;
  };
  const oneLine = (text: string) => {
    expect(text.endsWith("\n")).toBe(true);
    expect(text.trimEnd().split("\n")).toHaveLength(1);
  };

  beforeAll(async () => {
    network = await startNetwork("cli_test");
    const withAppPassword = async (name: string) => {
      const account = await createAccount(network, name);
      const res = await account.agent.com.atproto.server.createAppPassword({ name: "atrarium-cli" });
      return { ...account, appPassword: res.data.password };
    };
    alice = await withAppPassword("alice");
    bob = await withAppPassword("bob");
    home = mkdtempSync(join(tmpdir(), "atrarium-cli-"));
    bobHome = mkdtempSync(join(tmpdir(), "atrarium-cli-bob-"));
    env = {
      PATH: process.env.PATH,
      HOME: home,
      ATRARIUM_HOME: join(home, "atrarium"),
      ATRARIUM_SERVICE: `http://127.0.0.1:${await closedPort()}`,
      ATRARIUM_SERVICE_DID: SERVICE_DID,
      ATRARIUM_PLC_URL: network.plc.url,
    };
  }, 60_000);

  afterAll(async () => {
    await network?.close();
    for (const dir of [home, bobHome]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("--help lists every command, and every command has its own --help", async () => {
    const help = await cli(["--help"]);
    expect(help.code).toBe(0);
    const names = commands.map((c) => c.name);
    for (const required of [
      "login",
      "logout",
      "community create",
      "community show",
      "community list",
      "community members",
      "community update",
      "join",
      "leave",
      "post",
      "hide",
      "unhide",
      "pin",
      "unpin",
      "block",
      "unblock",
      "approve",
      "unapprove",
      "invite",
      "requests",
      "feed",
      "firehose status",
    ]) {
      expect(names).toContain(required);
    }
    for (const name of names) expect(help.stdout).toContain(`  ${name} `);
    for (const name of names) {
      const own = await inProcess([...name.split(" "), "--help"]);
      expect(own.code).toBe(0);
      expect(own.stdout).toContain(`Usage: atrarium ${name}`);
    }
    const updateHelp = (await cli(["community", "update", "--help"])).stdout;
    for (const option of ["--add-moderator ACCOUNT", "--join-policy POLICY", "--visibility WHO", "--yes"]) {
      expect(updateHelp).toContain(option);
    }
    expect(updateHelp).toMatch(/--rule TEXT .*\(repeatable\)/);
    expect((await cli(["block", "--help"])).stdout).toContain("--for DURATION");
  });

  it("a bad command, option or argument count exits 1 with one line saying what to do", async () => {
    const unknown = await cli(["frobnicate"]);
    expect(unknown.code).toBe(1);
    oneLine(unknown.stderr);
    expect(unknown.stderr).toMatch(/^atrarium: Unknown command "frobnicate"; run atrarium --help/);
    expect(unknown.stdout).toBe("");

    const option = await inProcess(["community", "create", "X", "--bogus"]);
    expect(option.code).toBe(1);
    oneLine(option.stderr);
    expect(option.stderr).toMatch(/--bogus.*atrarium community create --help/);

    const missing = await inProcess(["join"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("Usage: atrarium join <community>");
  });

  it("commands that need a session exit 2 before login", async () => {
    const res = await cli(["join", "at://did:plc:abc/com.atrarium.community.config/3jzfcijpj2z2a"]);
    expect(res.code).toBe(2);
    oneLine(res.stderr);
    expect(res.stderr).toContain("atrarium login");
  });

  it("login with --pds stores the session in a file only its owner can read", async () => {
    const res = await cli(["login", alice.handle, "--pds", network.pds.url, "--password-stdin"], {
      input: `${alice.appPassword}\n`,
    });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`Logged in as ${alice.handle} (${alice.did})`);
    const file = join(env.ATRARIUM_HOME as string, "session.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(env.ATRARIUM_HOME as string).mode & 0o077).toBe(0);
    const text = readFileSync(file, "utf8");
    expect(text).not.toContain(alice.appPassword);
    expect(JSON.parse(text)).toMatchObject({ did: alice.did, pds: new URL(network.pds.url).origin });
  });

  it("login finds the PDS by DID resolution, and a wrong password exits 2", async () => {
    const wrong = await inProcess(["login", bob.did, "--password-stdin"], { ATRARIUM_HOME: bobHome });
    expect(wrong.code).toBe(1); // nothing on stdin
    const refused = await inProcess(["login", bob.handle, "--pds", network.pds.url], {
      ATRARIUM_HOME: bobHome,
      ATRARIUM_PASSWORD: "not-the-password",
    });
    expect(refused.code).toBe(2);
    oneLine(
      refused.stderr
        .split("\n")
        .filter((l) => !l.includes("warning"))
        .join("\n"),
    );
    expect(refused.stderr).toMatch(/Sign-in refused/);

    const ok = await inProcess(["login", bob.did, "--json"], {
      ATRARIUM_HOME: bobHome,
      ATRARIUM_PASSWORD: bob.appPassword,
    });
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ did: bob.did, handle: bob.handle });
  });

  let community: string;
  let hashtag: string;

  it("community create prints the hashtag and the feed URI; the Worker being down is a warning", async () => {
    const res = await cli(["community", "create", "Design Community", "--description", "Pixels"]);
    expect(res.code).toBe(0);
    const tag = /hashtag:\s+(#atr_[0-9a-f]{8})/.exec(res.stdout);
    const feed = /feed:\s+(at:\/\/\S+)/.exec(res.stdout);
    const uri = /community:\s+(at:\/\/\S+)/.exec(res.stdout);
    expect(tag && feed && uri).toBeTruthy();
    expect(feed?.[1]).toBe(uri?.[1]?.replace("com.atrarium.community.config", "app.bsky.feed.generator"));
    expect(res.stderr).toMatch(/^atrarium: warning: Saved in your repo, but not indexed yet/);
    oneLine(res.stderr);
    expect((await getRecord(uri?.[1] ?? "")).value).toMatchObject({
      name: "Design Community",
      hashtag: tag?.[1],
    });
    expect((await getRecord(feed?.[1] ?? "")).value).toMatchObject({ did: SERVICE_DID });
  });

  it("--json output parses", async () => {
    const res = await cli(["community", "create", "JSON Club", "--json"]);
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout) as {
      uri: string;
      hashtag: string;
      feedUri: string;
      warnings: string[];
    };
    expect(out.hashtag).toMatch(/^#atr_[0-9a-f]{8}$/);
    expect(out.warnings).toHaveLength(1);
    community = out.uri;
    hashtag = out.hashtag;
    expect((await getRecord(out.uri)).value).toMatchObject({ name: "JSON Club" });

    const err = await cli(["feed", community, "--json"]);
    expect(err.code).toBe(4); // the Worker is down
    oneLine(err.stderr);
    expect(JSON.parse(err.stderr)).toMatchObject({ error: { kind: "network" } });
  });

  it("community update takes handles for moderators and the blocklist", async () => {
    const res = await inProcess([
      "community",
      "update",
      community,
      "--add-moderator",
      bob.handle,
      "--add-blocked",
      "did:plc:blockedblockedblocked1",
      "--json",
    ]);
    expect(res.code).toBe(0);
    expect((await getRecord(community)).value).toMatchObject({
      moderators: [bob.did],
      blocklist: ["did:plc:blockedblockedblocked1"],
    });
    const stage = await inProcess(["community", "update", community, "--stage", "huge"]);
    expect(stage.code).toBe(1);
    expect(stage.stderr).toBe('atrarium: --stage must be one of theme, community, graduated, got "huge"\n');
    const nothing = await inProcess(["community", "update", community]);
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain("Nothing to change");
  });

  let bobPostUri: string;

  it("join, post, memberships and leave write and delete records in the member's repo", async () => {
    const joined = await asBob(["join", community, "--json"]);
    expect(joined.code).toBe(0);
    const membership = JSON.parse(joined.stdout) as { uri: string };
    expect((await getRecord(membership.uri)).value).toMatchObject({ community, role: "member" });

    const posted = await asBob(["post", community, "Mockups", "are", "up", "🎨", "--json"]);
    expect(posted.code).toBe(0);
    const post = JSON.parse(posted.stdout) as { uri: string; text: string };
    bobPostUri = post.uri;
    expect(post.text).toBe(`Mockups are up 🎨 ${hashtag}`);
    const stored = (await getRecord(post.uri)).value as { facets: { index: { byteStart: number } }[] };
    expect(stored.facets[0]?.index.byteStart).toBe(Buffer.byteLength("Mockups are up 🎨 "));

    const mine = JSON.parse((await asBob(["memberships", "--json"])).stdout) as {
      memberships: { uri: string }[];
    };
    expect(mine.memberships.map((m) => m.uri)).toEqual([membership.uri]);

    const left = await asBob(["leave", community]);
    expect(left.code).toBe(0);
    expect(left.stdout).toContain(`Left; deleted ${membership.uri}`);
    await expect(getRecord(membership.uri)).rejects.toThrow();
  });

  it("hide takes a bsky.app link with a handle; block takes a handle and --reason", async () => {
    const rkey = bobPostUri.split("/").pop();
    const hidden = await inProcess([
      "hide",
      community,
      `https://bsky.app/profile/${bob.handle}/post/${rkey}`,
      "--reason",
      "spoilers",
      "--json",
    ]);
    expect(hidden.code).toBe(0);
    const hide = JSON.parse(hidden.stdout) as { uri: string };
    expect((await getRecord(hide.uri)).value).toMatchObject({
      action: "hide_post",
      target: { uri: bobPostUri },
      reason: "spoilers",
    });

    // bob is a moderator now; he blocks alice's... no: the owner cannot be blocked.
    const owner = await asBob(["block", community, alice.handle]);
    expect(owner.code).toBe(1);
    expect(owner.stderr).toContain("owner of a community cannot be blocked");

    const blocked = await inProcess(["block", community, `@${bob.handle}`, "--reason", "test", "--json"]);
    expect(blocked.code).toBe(0);
    expect((await getRecord((JSON.parse(blocked.stdout) as { uri: string }).uri)).value).toMatchObject({
      action: "block_user",
      target: { did: bob.did },
      reason: "test",
    });

    const badPost = await inProcess(["unhide", community, "https://example.com/nope"]);
    expect(badPost.code).toBe(1);
    oneLine(badPost.stderr);
  });

  const actionOf = async (ran: Ran) => {
    expect(ran.code).toBe(0);
    return (await getRecord((JSON.parse(ran.stdout) as { uri: string }).uri)).value;
  };
  const actionCount = async () =>
    (
      await alice.agent.com.atproto.repo.listRecords({
        repo: alice.did,
        collection: "com.atrarium.moderation.action",
      })
    ).data.records.length;

  it("approve, unapprove and invite write account actions; invite takes a handle", async () => {
    const invited = await inProcess(["invite", community, bob.handle, "--json"]);
    expect(await actionOf(invited)).toMatchObject({
      action: "approve_member",
      target: { $type: "com.atrarium.moderation.action#userTarget", did: bob.did },
    });
    // The community is open, so the approval changes nothing yet: the warning says so.
    expect(invited.stderr).toContain('warning: "JSON Club" is open');

    const approved = await inProcess(["approve", community, `@${bob.handle}`]);
    expect(approved.code).toBe(0);
    expect(approved.stdout).toMatch(
      /^Approved @bob\.test; action at:\/\/\S+\/com\.atrarium\.moderation\.action\/\w+\n$/,
    );

    const invitedText = await inProcess(["invite", community, bob.handle]);
    expect(invitedText.stdout).toContain(`They join with: atrarium join ${community}`);

    const unapproved = await inProcess([
      "unapprove",
      community,
      bob.did,
      "--reason",
      "left the club",
      "--json",
    ]);
    expect(await actionOf(unapproved)).toMatchObject({
      action: "unapprove_member",
      target: { did: bob.did },
      reason: "left the club",
    });
  });

  it("pin and unpin write post actions with the post's cid, from a bsky.app link or an at:// URI", async () => {
    const rkey = bobPostUri.split("/").pop();
    const { cid } = await getRecord(bobPostUri);
    const pinned = await inProcess([
      "pin",
      community,
      `https://bsky.app/profile/${bob.handle}/post/${rkey}`,
      "--json",
    ]);
    expect(await actionOf(pinned)).toMatchObject({
      action: "pin_post",
      target: { $type: "com.atrarium.moderation.action#postTarget", uri: bobPostUri, cid },
    });
    const unpinned = await inProcess(["unpin", community, bobPostUri, "--json"]);
    expect(await actionOf(unpinned)).toMatchObject({
      action: "unpin_post",
      target: { uri: bobPostUri, cid },
    });
  });

  it("block --for writes a block that ends by itself: 1d, 7d, 1w or any minutes, hours, days, weeks", async () => {
    const minute = 60_000;
    const day = 1440 * minute;
    for (const [given, ms] of [
      ["1d", day],
      ["7d", 7 * day],
      ["1w", 7 * day],
      ["12h", 720 * minute],
      ["90m", 90 * minute],
    ] as const) {
      const before = Date.now();
      const value = (await actionOf(
        await inProcess(["block", community, bob.handle, "--for", given, "--json"]),
      )) as {
        action: string;
        expiresAt: string;
      };
      expect(value.action).toBe("block_user");
      const ends = Date.parse(value.expiresAt);
      expect(ends).toBeGreaterThanOrEqual(before + ms);
      expect(ends).toBeLessThanOrEqual(Date.now() + ms);
    }
    const text = await inProcess(["block", community, bob.handle, "--for", "1d"]);
    expect(text.stdout).toMatch(/^Blocked bob\.test until \d{4}-\d\d-\d\dT[\d:.]+Z; action at:\/\//);
    const forever = await inProcess(["block", community, bob.handle, "--json"]);
    expect(await actionOf(forever)).not.toHaveProperty("expiresAt");

    const before = await actionCount();
    for (const bad of ["soon", "0d", "7", "1y", "1.5d"]) {
      const refused = await inProcess(["block", community, bob.handle, "--for", bad]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(
        `atrarium: --for must be a duration such as 1d, 7d, 1w or 12h, got "${bad}"\n`,
      );
    }
    expect(await actionCount()).toBe(before);
  });

  it("community update sets who sees the feed and the rules (each --rule whole, commas and all)", async () => {
    const res = await inProcess([
      "community",
      "update",
      community,
      "--visibility",
      "members",
      "--rule",
      "Be kind, always",
      "--rule",
      "No spam",
    ]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("joining:    open   feed: members");
    expect(res.stdout).toContain("rule 1:     Be kind, always\n  rule 2:     No spam\n");
    expect((await getRecord(community)).value).toMatchObject({
      feedVisibility: "members",
      rules: ["Be kind, always", "No spam"],
    });

    expect((await inProcess(["community", "update", community, "--no-rules"])).code).toBe(0);
    expect((await getRecord(community)).value).not.toHaveProperty("rules");
    const both = await inProcess(["community", "update", community, "--no-rules", "--rule", "x"]);
    expect(both.stderr).toBe("atrarium: Give --rule or --no-rules, not both\n");
    const visibility = await inProcess(["community", "update", community, "--visibility", "everyone"]);
    expect(visibility.code).toBe(1);
    expect(visibility.stderr).toBe('atrarium: --visibility must be one of public, members, got "everyone"\n');
    const policy = await inProcess(["community", "update", community, "--join-policy", "invite-only"]);
    expect(policy.stderr).toBe('atrarium: --join-policy must be one of open, approval, got "invite-only"\n');
  });

  it("community update --join-policy approval needs the members' list from the index: refused while it is down", async () => {
    const before = await actionCount();
    const res = await inProcess(["community", "update", community, "--join-policy", "approval", "--yes"]);
    expect(res.code).toBe(4);
    oneLine(res.stderr);
    expect(res.stderr).toMatch(/first approves the current members.*try again once the service answers\n$/);
    expect((await getRecord(community)).value).not.toHaveProperty("joinPolicy");
    expect(await actionCount()).toBe(before);
  });

  it("community show falls back to the owner's repo while the Worker is down; a missing community exits 3", async () => {
    const shown = await inProcess(["community", "show", community]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain("JSON Club");
    expect(shown.stdout).toContain(hashtag);
    expect(shown.stderr).toContain("warning: Not from the index");

    const missing = await inProcess(["join", community.replace(/[^/]+$/, "3jzfcijpj2z2a")]);
    expect(missing.code).toBe(3);
    oneLine(missing.stderr);
  });

  it("an expired access token is refreshed and the new session saved (still 0600)", async () => {
    const file = join(env.ATRARIUM_HOME as string, "session.json");
    const stored = JSON.parse(readFileSync(file, "utf8")) as { session: { accessJwt: string } };
    const [header, , signature] = stored.session.accessJwt.split(".");
    const expiredPayload = Buffer.from(JSON.stringify({ exp: Math.floor(Date.now() / 1000) - 60 })).toString(
      "base64url",
    );
    stored.session.accessJwt = `${header}.${expiredPayload}.${signature}`;
    writeFileSync(file, JSON.stringify(stored));
    chmodSync(file, 0o644);

    const res = await cli(["whoami"]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(alice.did);
    expect(res.stderr).toContain("was readable by others");
    const after = JSON.parse(readFileSync(file, "utf8")) as { session: { accessJwt: string } };
    expect(after.session.accessJwt).not.toBe(stored.session.accessJwt);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("logout deletes the session file", async () => {
    const res = await cli(["logout"]);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe("Logged out.\n");
    expect(() => statSync(join(env.ATRARIUM_HOME as string, "session.json"))).toThrow();
    expect((await inProcess(["whoami"])).code).toBe(2);
  });
});
