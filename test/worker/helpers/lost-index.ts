// Loses a community's index the way a new instance or lost data does: the
// object's storage is gone and the object starts again from nothing. The
// Worker has no way to do this itself; only a rebuild (resync) brings it back.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";

export async function loseCommunityIndex(communityUri: string): Promise<void> {
  const stub = env.COMMUNITY_FEED.getByName(communityUri);
  await runInDurableObject(stub, async (_feed, state) => {
    await state.storage.deleteAlarm();
    await state.storage.deleteAll();
  });
  // The running instance still holds the old state in memory: restart it.
  await runInDurableObject(stub, (_feed, state) => state.abort("index lost (test)")).catch(() => {});
}
