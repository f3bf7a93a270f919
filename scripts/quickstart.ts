// The quickstart story, on a running local stack: Alice creates "Design
// Community", Bob joins and posts with the hashtag, Carol (not a member)
// posts with it too, Alice hides Bob's post. Records are written only into
// each person's own repo and reach the index through the firehose (the
// bridge, the receiver, the queue): no requestIndex shortcut.
import { AtpAgent } from "@atproto/api";
import { AtrariumClient, type FeedItem } from "../src/client/index.ts";
import type { LocalStack } from "./local-stack.ts";

export interface DemoAccount {
  name: string;
  handle: string;
  did: string;
  password: string;
  client: AtrariumClient;
}

export interface QuickstartResult {
  community: string;
  feed: string;
  hashtag: string;
  alice: DemoAccount;
  bob: DemoAccount;
  carol: DemoAccount;
  bobPost: string;
  carolPost: string;
}

export async function createDemoAccount(stack: LocalStack, name: string): Promise<DemoAccount> {
  const agent = new AtpAgent({ service: stack.pds.url });
  const handle = `${name}.test`;
  const password = `${name}-demo-password`;
  await agent.createAccount({ handle, email: `${name}@example.test`, password });
  const client = new AtrariumClient({
    service: stack.workerUrl,
    agent,
    serviceDid: stack.serviceDid,
    plcUrl: stack.plcUrl,
    requestIndex: false,
  });
  return { name, handle, did: agent.assertDid, password, client };
}

/** A step of the quickstart did not show what it claims. */
export class QuickstartStepError extends Error {}

const preview = (value: unknown) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
};

/**
 * Polls until `check` holds and returns that value; throws, saying `what` was
 * awaited and what was last seen, when it does not hold in time. An error
 * from `read` is not retried: a route that fails is a failure, not a wait.
 */
export async function eventually<T>(
  what: string,
  read: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!check(value)) {
    if (Date.now() >= deadline)
      throw new Error(`${what}: not seen within ${timeoutMs / 1000} s (last seen: ${preview(value)})`);
    await new Promise((r) => setTimeout(r, 200));
    value = await read();
  }
  return value;
}

/** Runs one numbered step; a failure names the step. */
async function step<T>(title: string, log: (line: string) => void, body: () => Promise<T>): Promise<T> {
  log(`\n${title}`);
  try {
    return await body();
  } catch (err) {
    throw new QuickstartStepError(
      `step ${title} failed: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

export function formatFeed(items: FeedItem[]): string {
  if (items.length === 0) return "    (the feed is empty)";
  return items.map((i) => `    @${i.author.handle ?? i.author.did}: ${i.text ?? `(${i.error})`}`).join("\n");
}

export async function runQuickstart(
  stack: LocalStack,
  log: (line: string) => void = () => {},
): Promise<QuickstartResult> {
  const [alice, bob, carol] = [
    await createDemoAccount(stack, "alice"),
    await createDemoAccount(stack, "bob"),
    await createDemoAccount(stack, "carol"),
  ];
  const feedUris = async (community: string) =>
    (await alice.client.getFeedSkeleton(community)).feed.map((f) => f.post);
  const show = async (community: string) => log(formatFeed((await alice.client.getFeed(community)).items));

  const created = await step("1. Alice creates “Design Community”", log, async () => {
    const created = await alice.client.createCommunity({
      name: "Design Community",
      description: "Talk about design",
    });
    log(`   hashtag ${created.hashtag}\n   feed    ${created.feedUri}`);
    await eventually(
      "the community in the index",
      () =>
        alice.client.getCommunity(created.uri).then(
          () => true,
          () => false,
        ),
      (ok) => ok,
    );
    await show(created.uri);
    return created;
  });

  const bobPost = await step("2. Bob joins and posts with the hashtag", log, async () => {
    await bob.client.join(created.uri);
    await eventually(
      "Bob's membership",
      () => alice.client.getMembership(created.uri, bob.did),
      (m) => m.status === "member",
    );
    const bobPost = await bob.client.post(created.uri, "Hello from Bob! Here is my first sketch");
    await eventually(
      "Bob's post in the feed",
      () => feedUris(created.uri),
      (f) => f.includes(bobPost.uri),
    );
    await show(created.uri);
    return bobPost;
  });

  const carolPost = await step(
    "3. Carol, not a member, posts with the hashtag too (and Alice welcomes Bob)",
    log,
    async () => {
      const carolPost = await carol.client.post(created.uri, "Carol here, trying to get in");
      // A marker post by a member, written after Carol's: once it is in the feed,
      // the firehose has carried Carol's post past the index too.
      const marker = await alice.client.post(created.uri, "Welcome, Bob!");
      const afterCarol = await eventually(
        "Alice's welcome in the feed",
        () => feedUris(created.uri),
        (f) => f.includes(marker.uri),
      );
      await show(created.uri);
      if (afterCarol.includes(carolPost.uri))
        throw new Error("Carol's post is in the feed, but she is not a member");
      log("   Carol's post stays out: she is not a member.");
      return carolPost;
    },
  );

  await step("4. Alice hides Bob's post", log, async () => {
    await alice.client.createModerationAction({
      community: created.uri,
      action: "hide_post",
      target: { uri: bobPost.uri, cid: bobPost.cid },
      reason: "Off topic",
    });
    await eventually(
      "Bob's post gone from the feed",
      () => feedUris(created.uri),
      (f) => !f.includes(bobPost.uri),
    );
    await show(created.uri);
    log("   Bob's post is hidden: Alice owns the community.");
  });

  log(`\n5. The same community in the web app: ${stack.workerUrl}/c/${created.hashtag.slice(1)}`);

  return {
    community: created.uri,
    feed: created.feedUri,
    hashtag: created.hashtag,
    alice,
    bob,
    carol,
    bobPost: bobPost.uri,
    carolPost: carolPost.uri,
  };
}
