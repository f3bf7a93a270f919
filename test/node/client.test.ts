// The typed client against a real PDS and PLC (@atproto/dev-env), with the
// Atrarium Worker down: every write lands in the user's own repo (checked by
// reading it back from the PDS), and the Worker being unreachable is only a
// warning.
import type { TestNetworkNoAppView } from "@atproto/dev-env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AtrariumClient, AtrariumError, withHashtag } from "../../src/client/index.ts";
import { type Account, closedPort, createAccount, startNetwork } from "./client-env.ts";

const SERVICE_DID = "did:web:feeds.test";

describe("AtrariumClient against a real PDS (Worker down)", () => {
  let network: TestNetworkNoAppView;
  let alice: Account;
  let bob: Account;
  let carol: Account;
  let service: string;
  const client = (account?: Account) =>
    new AtrariumClient({
      service,
      serviceDid: SERVICE_DID,
      plcUrl: network.plc.url,
      ...(account ? { agent: account.agent } : {}),
    });
  /** Reads a record straight from the PDS, without the client under test. */
  const getRecord = async (uri: string) => {
    const [, , repo, collection, rkey] = uri.split("/");
    const res = await alice.agent.com.atproto.repo.getRecord({
      repo: repo as string,
      collection: collection as string,
      rkey: rkey as string,
    });
    return res.data;
  };
  const count = async (account: Account, collection: string) =>
    (await account.agent.com.atproto.repo.listRecords({ repo: account.did, collection })).data.records.length;

  beforeAll(async () => {
    network = await startNetwork("client_test");
    alice = await createAccount(network, "alice");
    bob = await createAccount(network, "bob");
    carol = await createAccount(network, "carol");
    service = `http://127.0.0.1:${await closedPort()}`;
  }, 60_000);

  afterAll(async () => {
    await network?.close();
  });

  let community: string;
  let hashtag: string;

  it("createCommunity writes the config, the feed record with the same rkey and the owner's membership", async () => {
    const warnings: string[] = [];
    const c = new AtrariumClient({
      service,
      serviceDid: SERVICE_DID,
      plcUrl: network.plc.url,
      agent: alice.agent,
      onWarning: (w) => warnings.push(w),
    });
    const created = await c.createCommunity({ name: "Design Community", description: "Pixels and type" });
    community = created.uri;
    hashtag = created.hashtag;

    expect(created.hashtag).toMatch(/^#atr_[0-9a-f]{8}$/);
    const rkey = created.uri.split("/").pop();
    expect(created.uri).toBe(`at://${alice.did}/com.atrarium.community.config/${rkey}`);
    expect(created.feedUri).toBe(`at://${alice.did}/app.bsky.feed.generator/${rkey}`);

    const config = await getRecord(created.uri);
    expect(config.cid).toBe(created.cid);
    expect(config.value).toMatchObject({
      $type: "com.atrarium.community.config",
      name: "Design Community",
      description: "Pixels and type",
      hashtag: created.hashtag,
      stage: "theme",
    });
    const feed = await getRecord(created.feedUri);
    expect(feed.value).toMatchObject({
      $type: "app.bsky.feed.generator",
      did: SERVICE_DID,
      displayName: "Design Community",
    });
    const membership = await getRecord(created.membershipUri);
    expect(membership.value).toMatchObject({ community: created.uri, role: "owner" });

    // The Worker is down: the write stands, with one warning (not one per record).
    expect(created.indexed).toEqual([]);
    expect(created.warnings).toHaveLength(1);
    expect(created.warnings[0]).toMatch(/not indexed yet.*Could not reach the Atrarium service/);
    expect(warnings).toEqual(created.warnings);

    // Two communities never share a hashtag by construction (crypto randomness).
    const other = await client(alice).createCommunity({ name: "Other" });
    expect(other.hashtag).not.toBe(created.hashtag);
  });

  it("getCommunityConfig reads the config back from the owner's PDS, also for another account", async () => {
    const asBob = await client(bob).getCommunityConfig(community);
    expect(asBob.value.name).toBe("Design Community");
    const anonymous = await client().getCommunityConfig(community);
    expect(anonymous.value.hashtag).toBe(hashtag);
  });

  it("updateCommunity changes fields, adds and removes moderators and blocklist entries", async () => {
    const c = client(alice);
    await c.updateCommunity(community, { addModerators: [bob.did, carol.did], addToBlocklist: [carol.did] });
    const updated = await c.updateCommunity(community, {
      name: "Design Circle",
      description: null,
      stage: "community",
      removeModerators: [carol.did],
    });
    const stored = await getRecord(community);
    expect(stored.cid).toBe(updated.cid);
    expect(stored.value).toMatchObject({
      name: "Design Circle",
      stage: "community",
      moderators: [bob.did],
      blocklist: [carol.did],
    });
    expect(stored.value).not.toHaveProperty("description");
    expect(typeof (stored.value as { updatedAt?: unknown }).updatedAt).toBe("string");
    // The feed's display name follows the community's name.
    const feed = await getRecord(
      community.replace("com.atrarium.community.config", "app.bsky.feed.generator"),
    );
    expect(feed.value).toMatchObject({ displayName: "Design Circle", did: SERVICE_DID });

    await c.updateCommunity(community, { removeFromBlocklist: [carol.did] });
    expect((await getRecord(community)).value).not.toHaveProperty("blocklist");
  });

  it("only the owner may update a community", async () => {
    const err = await client(bob)
      .updateCommunity(community, { name: "Mine now" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AtrariumError);
    expect((err as AtrariumError).kind).toBe("forbidden");
  });

  it("validation errors are readable and nothing is written", async () => {
    const before = await count(alice, "com.atrarium.community.config");
    const tooLong = await client(alice)
      .createCommunity({ name: "x".repeat(101) })
      .catch((e: unknown) => e);
    expect(tooLong).toBeInstanceOf(AtrariumError);
    expect((tooLong as AtrariumError).kind).toBe("invalid");
    expect((tooLong as AtrariumError).message).toBe(
      "The community is invalid: name must not be longer than 100 graphemes",
    );

    const badMix = await client(alice)
      .createCommunity({ name: "Mix", feedMix: { own: 50, parent: 10, global: 10 } })
      .catch((e: unknown) => e);
    expect((badMix as AtrariumError).message).toBe(
      "The community is invalid: feedMix must sum to 100, got 70",
    );

    const badDid = await client(alice)
      .updateCommunity(community, { addModerators: ["bob.test"] })
      .catch((e: unknown) => e);
    expect((badDid as AtrariumError).message).toMatch(/moderators to add must be DIDs.*bob\.test/);

    const badUri = await client(alice)
      .join("at://did:plc:abc/app.bsky.feed.post/123")
      .catch((e: unknown) => e);
    expect((badUri as AtrariumError).kind).toBe("invalid");
    expect((badUri as AtrariumError).message).toMatch(/not a community/);

    expect(await count(alice, "com.atrarium.community.config")).toBe(before);
  });

  it("join writes a membership into the member's own repo, once", async () => {
    const joined = await client(bob).join(community);
    expect(joined.alreadyMember).toBe(false);
    expect(joined.uri.startsWith(`at://${bob.did}/com.atrarium.community.membership/`)).toBe(true);
    const stored = await getRecord(joined.uri);
    expect(stored.value).toMatchObject({
      $type: "com.atrarium.community.membership",
      community,
      role: "member",
    });

    const again = await client(bob).join(community);
    expect(again).toMatchObject({ alreadyMember: true, uri: joined.uri });
    expect(await count(bob, "com.atrarium.community.membership")).toBe(1);

    const listed = await client(bob).listMemberships();
    expect(listed.map((m) => m.uri)).toEqual([joined.uri]);
    expect((await client(bob).getMembershipRecord(community))?.uri).toBe(joined.uri);
    expect(await client(carol).getMembershipRecord(community)).toBeUndefined();
  });

  it("joining a community that does not exist is a not-found error", async () => {
    const missing = community.replace(/[^/]+$/, "3jzfcijpj2z2a");
    const err = await client(bob)
      .join(missing)
      .catch((e: unknown) => e);
    expect((err as AtrariumError).kind).toBe("not_found");
    expect((err as AtrariumError).message).toBe(`No community at ${missing}`);
  });

  let bobPost: { uri: string; cid: string };

  it("post appends the hashtag with a #tag facet at the right UTF-8 byte offsets (emoji text)", async () => {
    const text = "Hello 👋🏽 café — 日本語 ok";
    const posted = await client(bob).post(community, text);
    bobPost = posted;
    expect(posted.text).toBe(`${text} ${hashtag}`);
    const stored = await getRecord(posted.uri);
    const value = stored.value as {
      text: string;
      facets: { index: { byteStart: number; byteEnd: number }; features: { $type: string; tag: string }[] }[];
    };
    expect(value.text).toBe(posted.text);
    expect(value.facets).toHaveLength(1);
    const [facet] = value.facets;
    const bytes = Buffer.from(value.text, "utf8");
    // UTF-16 length differs from the byte length here, so a wrong unit would show.
    expect(facet?.index.byteStart).toBe(Buffer.byteLength(`${text} `));
    expect(facet?.index.byteStart).not.toBe(text.length + 1);
    expect(bytes.subarray(facet?.index.byteStart, facet?.index.byteEnd).toString("utf8")).toBe(hashtag);
    expect(facet?.features).toEqual([{ $type: "app.bsky.richtext.facet#tag", tag: hashtag.slice(1) }]);
    expect(posted.warnings).toHaveLength(1); // Worker down
  });

  it("withHashtag keeps a hashtag already in the text and facets it where it is", () => {
    const tag = "#atr_0123abcd";
    const inside = withHashtag(`🎉 ${tag} party`, tag);
    expect(inside.text).toBe(`🎉 ${tag} party`);
    expect(inside.facet.index).toEqual({ byteStart: 5, byteEnd: 5 + tag.length });
    const longer = withHashtag(`${tag}0 is another tag`, tag);
    expect(longer.text).toBe(`${tag}0 is another tag ${tag}`);
    expect(withHashtag("", tag).text).toBe(tag);
  });

  it("post warns a non-member that the post will not enter the feed, and refuses a text too long", async () => {
    const posted = await client(carol).post(community, "drive-by");
    expect(posted.warnings.some((w) => /not a member/.test(w))).toBe(true);
    const err = await client(carol)
      .post(community, "🙂".repeat(290))
      .catch((e: unknown) => e);
    expect((err as AtrariumError).kind).toBe("invalid");
    expect((err as AtrariumError).message).toMatch(/304 characters.*limit is 300/);
  });

  it("createModerationAction writes hide and block actions into the moderator's repo", async () => {
    const hide = await client(alice).createModerationAction({
      community,
      action: "hide_post",
      target: { uri: bobPost.uri }, // cid looked up on the author's PDS
      reason: "off-topic",
    });
    const storedHide = await getRecord(hide.uri);
    expect(hide.uri.startsWith(`at://${alice.did}/com.atrarium.moderation.action/`)).toBe(true);
    expect(storedHide.value).toMatchObject({
      $type: "com.atrarium.moderation.action",
      community,
      action: "hide_post",
      target: { $type: "com.atrarium.moderation.action#postTarget", uri: bobPost.uri, cid: bobPost.cid },
      reason: "off-topic",
    });

    // bob is a moderator (added above) and may block carol.
    const block = await client(bob).createModerationAction({
      community,
      action: "block_user",
      target: { did: carol.did },
    });
    expect((await getRecord(block.uri)).value).toMatchObject({
      action: "block_user",
      target: { $type: "com.atrarium.moderation.action#userTarget", did: carol.did },
    });
    expect((await getRecord(block.uri)).value).not.toHaveProperty("reason");
  });

  it("moderation by a non-moderator is refused unless forced, and targets must match the action", async () => {
    const refused = await client(carol)
      .createModerationAction({ community, action: "block_user", target: { did: bob.did } })
      .catch((e: unknown) => e);
    expect((refused as AtrariumError).kind).toBe("forbidden");
    expect((refused as AtrariumError).message).toMatch(/not a moderator of "Design Circle"/);
    expect(await count(carol, "com.atrarium.moderation.action")).toBe(0);

    const forced = await client(carol).createModerationAction({
      community,
      action: "block_user",
      target: { did: bob.did },
      force: true,
    });
    expect(forced.warnings.some((w) => /not a moderator/.test(w))).toBe(true);
    expect(await count(carol, "com.atrarium.moderation.action")).toBe(1);

    const mismatch = await client(alice)
      .createModerationAction({ community, action: "hide_post", target: { did: bob.did } })
      .catch((e: unknown) => e);
    expect((mismatch as AtrariumError).message).toBe("hide_post needs a post (uri), not an account");
  });

  it("approveMember, unapproveMember and invite write account actions for a handle or DID", async () => {
    const c = client(alice);
    const approved = await c.approveMember(community, carol.handle);
    expect((await getRecord(approved.uri)).value).toMatchObject({
      $type: "com.atrarium.moderation.action",
      community,
      action: "approve_member",
      target: { $type: "com.atrarium.moderation.action#userTarget", did: carol.did },
    });
    // The community is open: an approval changes nothing yet, and the result says so.
    expect(approved.warnings.some((w) => /"Design Circle" is open/.test(w))).toBe(true);

    const unapproved = await c.unapproveMember(community, carol.did, { reason: "spam" });
    expect((await getRecord(unapproved.uri)).value).toMatchObject({
      action: "unapprove_member",
      target: { did: carol.did },
      reason: "spam",
    });
    const invited = await c.invite(community, `@${carol.handle}`);
    expect((await getRecord(invited.uri)).value).toMatchObject({
      action: "approve_member",
      target: { did: carol.did },
    });
  });

  it("pinPost and unpinPost write post actions with the post's cid; a post without the hashtag warns", async () => {
    const rkey = bobPost.uri.split("/").pop();
    const pinned = await client(alice).pinPost(
      community,
      `https://bsky.app/profile/${bob.handle}/post/${rkey}`,
    );
    expect((await getRecord(pinned.uri)).value).toMatchObject({
      action: "pin_post",
      target: { $type: "com.atrarium.moderation.action#postTarget", uri: bobPost.uri, cid: bobPost.cid },
    });
    expect(pinned.warnings.some((w) => /pin will not show/.test(w))).toBe(false);
    const unpinned = await client(alice).unpinPost(community, bobPost.uri);
    expect((await getRecord(unpinned.uri)).value).toMatchObject({
      action: "unpin_post",
      target: { uri: bobPost.uri, cid: bobPost.cid },
    });

    const plain = await alice.agent.com.atproto.repo.createRecord({
      repo: alice.did,
      collection: "app.bsky.feed.post",
      record: { $type: "app.bsky.feed.post", text: "no tag here", createdAt: new Date().toISOString() },
    });
    const untagged = await client(alice).pinPost(community, plain.data.uri);
    expect(untagged.warnings).toContain(
      `The post does not carry ${hashtag}, so it is not in the feed and the pin will not show`,
    );
  });

  it("blockMember with expiresAt writes a timed block; an end that passed, or on another action, is refused", async () => {
    const until = new Date(Date.now() + 7 * 86_400_000);
    const blocked = await client(alice).blockMember(community, carol.handle, {
      expiresAt: until,
      reason: "cool off",
    });
    expect((await getRecord(blocked.uri)).value).toMatchObject({
      action: "block_user",
      target: { did: carol.did },
      expiresAt: until.toISOString(),
      reason: "cool off",
    });

    const before = await count(alice, "com.atrarium.moderation.action");
    const refusals = await Promise.all(
      [
        client(alice).blockMember(community, carol.did, { expiresAt: new Date(Date.now() - 1000) }),
        client(alice).blockMember(community, carol.did, { expiresAt: "next week" }),
        client(alice).blockMember(community, carol.did, { expiresAt: new Date("never") }),
        client(alice).createModerationAction({
          community,
          action: "pin_post",
          target: { uri: bobPost.uri, cid: bobPost.cid },
          expiresAt: until.toISOString(),
        }),
      ].map((p) => p.catch((e: unknown) => e)),
    );
    expect(refusals.map((e) => (e as AtrariumError).kind)).toEqual([
      "invalid",
      "invalid",
      "invalid",
      "invalid",
    ]);
    expect((refusals[0] as AtrariumError).message).toMatch(/^The block would end at .*, which has passed$/);
    expect((refusals[1] as AtrariumError).message).toBe('expiresAt must be a date and time, got "next week"');
    expect((refusals[2] as AtrariumError).message).toBe(
      'expiresAt must be a date and time, got "Invalid Date"',
    );
    expect((refusals[3] as AtrariumError).message).toBe(
      "An end time (expiresAt) goes only with block_user, not pin_post",
    );
    expect(await count(alice, "com.atrarium.moderation.action")).toBe(before);
  });

  it("updateCommunity sets who sees the feed and the rules; bad rules are refused and nothing is written", async () => {
    const rules = ["Be kind, always", "No spam"];
    const updated = await client(alice).updateCommunity(community, { feedVisibility: "members", rules });
    expect(updated.approved).toEqual([]);
    expect((await getRecord(community)).value).toMatchObject({ feedVisibility: "members", rules });

    const cid = (await getRecord(community)).cid;
    const tooMany = await client(alice)
      .updateCommunity(community, { rules: Array.from({ length: 11 }, (_, i) => `Rule ${i}`) })
      .catch((e: unknown) => e);
    expect((tooMany as AtrariumError).message).toBe(
      "The community is invalid: rules must not have more than 10 elements",
    );
    const tooLong = await client(alice)
      .updateCommunity(community, { rules: ["🙂".repeat(301)] })
      .catch((e: unknown) => e);
    expect((tooLong as AtrariumError).message).toBe(
      "The community is invalid: rules/0 must not be longer than 300 graphemes",
    );
    const blank = await client(alice)
      .updateCommunity(community, { rules: ["Fine", "  "] })
      .catch((e: unknown) => e);
    expect((blank as AtrariumError).message).toBe("A rule cannot be empty");
    expect((await getRecord(community)).cid).toBe(cid);

    await client(alice).updateCommunity(community, { rules: null, feedVisibility: "public" });
    const cleared = (await getRecord(community)).value;
    expect(cleared).not.toHaveProperty("rules");
    expect(cleared).toMatchObject({ feedVisibility: "public" });
  });

  it("switching to approval approves the given members first; without a list it needs the index", async () => {
    const down = await client(alice)
      .updateCommunity(community, { joinPolicy: "approval" })
      .catch((e: unknown) => e);
    expect((down as AtrariumError).kind).toBe("network");
    expect((down as AtrariumError).message).toMatch(
      /first approves the current members.*once the service answers$/,
    );
    expect((await getRecord(community)).value).not.toHaveProperty("joinPolicy");
    const actionsBefore = await count(alice, "com.atrarium.moderation.action");

    const switched = await client(alice).updateCommunity(
      community,
      { joinPolicy: "approval" },
      { membersToApprove: [bob.did, carol.did] },
    );
    expect(switched.approved.map((a) => a.did)).toEqual([bob.did, carol.did]);
    for (const { did, uri } of switched.approved) {
      expect((await getRecord(uri)).value).toMatchObject({ action: "approve_member", target: { did } });
    }
    expect(await count(alice, "com.atrarium.moderation.action")).toBe(actionsBefore + 2);
    expect((await getRecord(community)).value).toMatchObject({ joinPolicy: "approval" });

    // Already approving its members: another change approves no one.
    const again = await client(alice).updateCommunity(
      community,
      { joinPolicy: "approval", stage: "community" },
      { membersToApprove: [carol.did] },
    );
    expect(again.approved).toEqual([]);
    expect(await count(alice, "com.atrarium.moderation.action")).toBe(actionsBefore + 2);
  });

  it("join says when the community approves its members, except to its owner and moderators", async () => {
    const carolJoined = await client(carol).join(community);
    expect(carolJoined.needsApproval).toBe(true);
    const bobAgain = await client(bob).join(community); // bob is a moderator
    expect(bobAgain.needsApproval).toBe(false);
    await client(carol).leave(community);
  });

  it("leave deletes the membership record from the member's repo", async () => {
    const membership = await client(bob).getMembershipRecord(community);
    const left = await client(bob).leave(community);
    expect(left.deleted).toEqual([membership?.uri]);
    const gone = await getRecord(membership?.uri ?? "").catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(Error);
    expect(String((gone as Error).message)).toMatch(/Could not locate record|not found/i);
    expect(await client(bob).getMembershipRecord(community)).toBeUndefined();

    const again = await client(bob)
      .leave(community)
      .catch((e: unknown) => e);
    expect((again as AtrariumError).kind).toBe("not_found");
  });

  it("writes without a session ask the user to sign in; queries to a down Worker are network errors", async () => {
    const noSession = await client()
      .join(community)
      .catch((e: unknown) => e);
    expect((noSession as AtrariumError).kind).toBe("auth");
    expect((noSession as AtrariumError).message).toMatch(/Sign in first/);

    const down = await client()
      .getCommunity(community)
      .catch((e: unknown) => e);
    expect((down as AtrariumError).kind).toBe("network");
    expect((down as AtrariumError).message).toContain(service);
  });
});
