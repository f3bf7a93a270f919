// The local stack's lexicon authority: an account on the dev PDS holding our
// lexicons as com.atproto.lexicon.schema records (what `lexicons:publish`
// writes in production), and the PDS pointed at it to resolve permission
// sets, in place of the `_lexicon` DNS lookup there is no DNS for here.
import { fileURLToPath } from "node:url";
import { AtpAgent } from "@atproto/api";
import type { TestPds } from "@atproto/dev-env";
import { loadOwnLexicons } from "./lexicons/documents.ts";
import { planPublish } from "./lexicons/plan.ts";
import { applyPlan, readPublished } from "./lexicons/repo.ts";

const LEXICONS = fileURLToPath(new URL("../lexicons", import.meta.url));

/** Publishes lexicons/ to a new authority account and makes the PDS resolve `include:` through it. */
export async function publishLocalLexicons(pds: TestPds): Promise<string> {
  const agent = new AtpAgent({ service: pds.url });
  const handle = "atrarium-lexicons.test";
  await agent.createAccount({
    handle,
    email: "lexicons@example.test",
    password: "atrarium-lexicons-password",
  });
  const did = agent.assertDid;
  const local = loadOwnLexicons(LEXICONS);
  const published = await readPublished(pds.url, did);
  await applyPlan(agent, did, planPublish(local, published.documents), local, {
    head: published.head,
    prune: false,
  });
  pds.ctx.cfg.lexicon.didAuthority = did as `did:${string}:${string}`;
  return did;
}
