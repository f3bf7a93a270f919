// Who a feed page is for, decided before the page is loaded (so a page can be
// cached per audience): a public feed is everyone's, and its token is not even
// read; a members-only feed is whole only for a visible member proven by the
// forwarded service-auth JWT, and the pinned posts alone for anyone else.
import { verifiedViewer } from "../../../../auth/viewer.ts";
import type { FeedAudience } from "../../../../community/CommunityFeed.ts";
import type { AppContext } from "../../../../context.ts";

const LXM = "app.bsky.feed.getFeedSkeleton";

// A community's feedVisibility, cached in the isolate so that a public feed
// costs no extra Durable Object call: a switch between public and members
// reaches every isolate within this time.
const VISIBILITY_TTL_MS = 10_000;
const visibilities = new Map<string, { members: boolean; until: number }>();

async function membersOnly(ctx: AppContext, community: string): Promise<boolean> {
  const now = Date.now();
  const cached = visibilities.get(community);
  if (cached && cached.until > now) return cached.members;
  const members = (await ctx.communityFeed(community).feedVisibility()) === "members";
  if (visibilities.size > 10_000) visibilities.clear();
  visibilities.set(community, { members, until: now + VISIBILITY_TTL_MS });
  return members;
}

export async function feedAudience(
  ctx: AppContext,
  community: string,
  req: { headers: { authorization?: string | undefined } },
): Promise<FeedAudience> {
  if (!(await membersOnly(ctx, community))) return "full";
  const viewer = await verifiedViewer(ctx, req, LXM);
  if (viewer === null) return "pins-only";
  return (await ctx.communityFeed(community).isVisibleMember(viewer)) ? "full" : "pins-only";
}
