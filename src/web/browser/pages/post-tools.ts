// The owner's and moderators' tools in each post's own line of a community
// page: Hide, Pin (Unpin on a pinned post: the three most recently pinned
// come first in the feed) and Block… (for 1 day, 1 week, until a chosen time,
// or until someone unblocks them). Each is one action record in the
// moderator's own repo.
import { type Actor, moderate, type Outcome } from "../actions.ts";
import { askBlock } from "../block-dialog.ts";
import type { CommunityPageData } from "../config.ts";
import type { Session } from "../session.ts";
import { el, sayProblem, whileBusy } from "../ui.ts";

const tool = (label: string, act: string) =>
  el("button", { type: "button", class: "link-button", "data-moderate": act }, label);

/** Adds the tools to every post of the feed that has none yet. */
export function addPostTools(community: CommunityPageData, session: Session): void {
  for (const item of document.querySelectorAll<HTMLElement>("#feed .post")) {
    const tools = item.querySelector(".post-tools");
    if (!tools || tools.childElementCount > 0) continue;
    const readable = Boolean(item.dataset.cid);
    const postTools = [
      tool("Hide", "hide"),
      tool(item.dataset.pinned ? "Unpin" : "Pin", item.dataset.pinned ? "unpin" : "pin"),
    ];
    for (const button of postTools) {
      // An action on a post names its version (cid), which only a post that was read has.
      if (!readable) {
        button.disabled = true;
        button.title = "The post could not be read; try again later";
      }
    }
    const author = item.dataset.author;
    const canBlock = author && author !== community.owner && author !== session.did;
    tools.append(...postTools, ...(canBlock ? [tool("Block…", "block")] : []));
  }
}

const DOING: Record<string, [busy: string, doing: string]> = {
  hide: ["Hiding…", "hiding the post"],
  pin: ["Pinning…", "pinning the post"],
  unpin: ["Unpinning…", "unpinning the post"],
  block: ["Blocking…", "blocking the account"],
};

/** One listener for every post's tools, present and future (the feed is re-rendered after each change). */
export function listenToPostTools(
  actor: Actor,
  community: CommunityPageData,
  show: (outcome: Outcome) => Promise<void>,
): void {
  document.addEventListener("click", async (event) => {
    const button = (event.target as Element).closest<HTMLButtonElement>("button[data-moderate]");
    const item = button?.closest<HTMLElement>(".post");
    if (!button || !item) return;
    const act = button.dataset.moderate ?? "";
    const [busy, doing] = DOING[act] ?? ["Saving…", "moderating"];
    const post = { uri: item.dataset.uri ?? "", cid: item.dataset.cid ?? "" };
    try {
      if (act === "block") {
        const who = item.querySelector(".post-meta .person")?.textContent?.trim() || "this account";
        const choice = await askBlock(who);
        if (!choice) return;
        const did = item.dataset.author ?? "";
        await show(
          await whileBusy(button, busy, () => moderate(actor, community, "block_user", { did }, choice)),
        );
        return;
      }
      const action = act === "hide" ? "hide_post" : act === "pin" ? "pin_post" : "unpin_post";
      await show(await whileBusy(button, busy, () => moderate(actor, community, action, post)));
    } catch (err) {
      sayProblem(err, doing);
    }
  });
}
