// A third-party app using the packed `atrarium` package: the client is
// imported as `atrarium/client`, nothing else of this repository. The
// client-package test installs the tarball next to this file, type-checks it
// with tsc (strict, NodeNext) and runs it against the local stack. The
// README's client section shows the same calls.
import { AtpAgent } from "@atproto/api";
import { AtrariumClient, AtrariumError, type CommunityView, type FeedItem } from "atrarium/client";

interface Config {
  service: string;
  plcUrl: string;
  pds: string;
  handle: string;
  password: string;
  community: string;
}
const config = JSON.parse(process.argv[2] ?? "{}") as Config;

// Reading the index needs no account.
const reader = new AtrariumClient({ service: config.service, plcUrl: config.plcUrl });
const { communities } = await reader.listCommunities({ limit: 10 });
const community: CommunityView = await reader.getCommunity(config.community);
const feed = await reader.getFeed(community.uri, { limit: 20 });

// A bad argument is an AtrariumError whose kind says what to do.
const invalid = await reader.getCommunity("not-a-uri").catch((err: unknown) => err);

// Joining writes a membership record into the user's own repo, with their own session.
const agent = new AtpAgent({ service: config.pds });
await agent.login({ identifier: config.handle, password: config.password });
const member = new AtrariumClient({ service: config.service, plcUrl: config.plcUrl, agent });
const joined = await member.join(community.uri);
const membership = await member.getMembership(community.uri);

const line = (item: FeedItem) => `${item.author.handle ?? item.author.did}: ${item.text ?? item.error}`;
console.log(
  JSON.stringify({
    listed: communities.map((c) => c.name),
    name: community.name,
    hashtag: community.hashtag,
    feed: feed.items.map(line),
    invalid: invalid instanceof AtrariumError ? invalid.kind : String(invalid),
    joined: joined.uri,
    indexed: joined.indexed.map((r) => r.status),
    membership: membership.status,
  }),
);
