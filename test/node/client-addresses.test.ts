// The client's address layer over src/records/address.ts: what people type
// (handles, bsky.app links) is parsed in one place, and a URI the client cannot
// use is an AtrariumError that says why, raised as a rejected promise.
import { describe, expect, it } from "vitest";
import {
  AtrariumClient,
  AtrariumError,
  parseRecordRef,
  requireCommunityUri,
  requireRecordUri,
} from "../../src/client/index.ts";

const DID = "did:plc:abc123abc123abc123abc123";
const CONFIG = `at://${DID}/com.atrarium.community.config/3kabc`;

const failure = (fn: () => unknown): AtrariumError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof AtrariumError) return err;
    throw err;
  }
  throw new Error("expected an AtrariumError");
};

describe("client addresses", () => {
  it("parseRecordRef takes AT-URIs named by DID or handle, and bsky.app post and feed links", () => {
    expect(parseRecordRef(` ${CONFIG} `)).toEqual({
      actor: DID,
      collection: "com.atrarium.community.config",
      rkey: "3kabc",
    });
    expect(parseRecordRef("at://alice.example.com/app.bsky.feed.post/3kpost")).toEqual({
      actor: "alice.example.com",
      collection: "app.bsky.feed.post",
      rkey: "3kpost",
    });
    expect(parseRecordRef("https://bsky.app/profile/alice.example.com/post/3kpost")).toMatchObject({
      collection: "app.bsky.feed.post",
    });
    expect(parseRecordRef(`https://bsky.app/profile/${DID}/feed/3kabc/`)).toEqual({
      actor: DID,
      collection: "app.bsky.feed.generator",
      rkey: "3kabc",
    });
    for (const bad of [
      "",
      "at://",
      "at://not a handle/x.y/z",
      "https://bsky.app/profile/a/likes/1",
      "ftp://x/profile/a/post/1",
    ]) {
      expect(parseRecordRef(bad), bad).toBeNull();
    }
  });

  it("requireCommunityUri says what is wrong: not a URI, a handle authority, another collection", () => {
    expect(requireCommunityUri(CONFIG)).toEqual({ uri: CONFIG, owner: DID, rkey: "3kabc" });
    expect(failure(() => requireCommunityUri("nope")).message).toContain(
      "Not an AT-URI of a single community",
    );
    expect(
      failure(() => requireCommunityUri("at://alice.test/com.atrarium.community.config/3k")).message,
    ).toContain("names its repo by handle");
    const feed = failure(() => requireCommunityUri(`at://${DID}/app.bsky.feed.generator/3kabc`));
    expect(feed.kind).toBe("invalid");
    expect(feed.message).toContain(
      "expected collection com.atrarium.community.config, got app.bsky.feed.generator",
    );
    expect(requireRecordUri(`at://${DID}/app.bsky.feed.post/3k`, "app.bsky.feed.post").did).toBe(DID);
  });

  it("client methods reject with the AtrariumError instead of throwing before the promise", async () => {
    const client = new AtrariumClient({ service: "http://127.0.0.1:9", serviceDid: "did:web:feeds.test" });
    const calls = [
      () => client.getCommunity("nope"),
      () => client.getMembers("nope"),
      () => client.getFeedSkeleton("at://did:plc:x/app.bsky.feed.post/3k"),
      () => client.getCommunityConfig("nope"),
    ];
    for (const call of calls) {
      const promise = call();
      expect(promise).toBeInstanceOf(Promise);
      await expect(promise).rejects.toMatchObject({ kind: "invalid" });
    }
  });
});
