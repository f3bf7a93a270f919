// A community page for signed-in people: join or leave, post, and (for the
// owner and moderators) a Manage link in the header and Hide and Block on
// each post of the feed. The owner has no "Leave": a community is left by
// deleting it. Every control goes into a place the server already rendered.
import type * as GetMembership from "../../../client/lexicon/types/com/atrarium/community/getMembership.ts";
import { managePath } from "../../shared/links.ts";
import { join, leave, moderate, type Outcome, post } from "../actions.ts";
import { type CommunityPageData, readCommunity, type WebConfig } from "../config.ts";
import { graphemes, postRoom } from "../records.ts";
import type { Session } from "../session.ts";
import { el, refreshFromServer, say, sayProblem, whileBusy } from "../ui.ts";
import { worker } from "../xrpc.ts";

type Status = GetMembership.OutputSchema["status"];

/** After a change the firehose will bring, look again a little later. */
const FIREHOSE_WAIT_MS = 5_000;

export async function startCommunityPage(config: WebConfig, session: Session | null): Promise<void> {
  if (!session) return;
  const community = readCommunity();
  const actor = { session, config };
  const owner = community.owner === session.did;
  const moderator = owner || community.moderators.includes(session.did);
  const joinButton = placeActions(community, owner, moderator);

  const show = async (outcome: Outcome) => {
    say(outcome.message);
    await refreshFromServer(["feed", "facts"]);
    if (moderator) addModerationTools(community, session);
    if (!outcome.indexed) setTimeout(() => void refreshFromServer(["feed", "facts"]), FIREHOSE_WAIT_MS);
  };

  let status: Status = "none";
  const setStatus = (next: Status) => {
    status = next;
    showMembership(session, status, joinButton, owner);
  };
  joinButton.addEventListener("click", async () => {
    const leaving = status === "member";
    try {
      const outcome = await whileBusy(joinButton, leaving ? "Leaving…" : "Joining…", () =>
        leaving ? leave(actor, community) : join(actor, community),
      );
      // The record is in the person's repo either way; the index follows.
      setStatus(leaving ? "left" : "member");
      await show(outcome);
    } catch (err) {
      sayProblem(err, leaving ? "leaving" : "joining");
    }
  });

  setUpComposer(community, async (text) => show(await post(actor, community, text)));
  if (moderator) {
    addModerationTools(community, session);
    document.addEventListener("click", (event) => {
      const button = (event.target as Element).closest<HTMLButtonElement>("button[data-moderate]");
      if (!button) return;
      const item = button.closest<HTMLElement>(".post");
      if (!item) return;
      const hide = button.dataset.moderate === "hide";
      const target = hide
        ? { uri: item.dataset.uri ?? "", cid: item.dataset.cid ?? "" }
        : { did: item.dataset.author ?? "" };
      void whileBusy(button, hide ? "Hiding…" : "Blocking…", () =>
        moderate(actor, community, hide ? "hide_post" : "block_user", target),
      ).then(show, (err: unknown) => sayProblem(err, hide ? "hiding the post" : "blocking the account"));
    });
  }

  try {
    const membership = await worker<GetMembership.OutputSchema>("com.atrarium.community.getMembership", {
      doing: "checking your membership",
      params: { community: community.uri, actor: session.did },
    });
    setStatus(membership.status);
  } catch (err) {
    setStatus("none");
    sayProblem(err, "checking your membership");
  }
}

/**
 * The server's "Join" link (to sign-in) becomes a button, in the same place
 * and size; the owner and moderators get "Manage". The owner's Manage takes
 * the Join link's place (an owner who is a member has nothing to join or
 * leave), so nothing already shown moves.
 */
function placeActions(community: CommunityPageData, owner: boolean, moderator: boolean): HTMLButtonElement {
  const link = document.getElementById("join-button");
  const button = el("button", { type: "button", id: "join-button", class: "button primary" }, "Checking…");
  button.disabled = true;
  const manage = el(
    "a",
    { class: "button", id: "manage-link", href: managePath(community.hashtag) },
    "Manage",
  );
  if (owner) link?.replaceWith(manage);
  else {
    link?.replaceWith(button);
    if (moderator) document.getElementById("community-actions")?.append(manage);
  }
  return button;
}

function showMembership(session: Session, status: Status, button: HTMLButtonElement, owner: boolean): void {
  const note = document.getElementById("composer-note");
  const fieldset = document.querySelector<HTMLFieldSetElement>("#composer fieldset");
  const member = status === "member";
  // The owner stays a member as long as the community exists; one who is not (yet) may join.
  if (owner && !member && !button.isConnected) document.getElementById("community-actions")?.append(button);
  if (owner && member) button.remove();
  button.disabled = status === "blocked";
  button.textContent = member ? "Leave" : status === "blocked" ? "Blocked" : "Join";
  button.classList.toggle("primary", !member);
  if (fieldset) fieldset.disabled = !member;
  if (!note) return;
  const who = session.handle ? `@${session.handle}` : "you";
  const text =
    status === "blocked"
      ? "You are blocked from this community: your posts do not appear in its feed."
      : member
        ? `Posting as ${who}.`
        : `Join to post here, as ${who}.`;
  note.replaceChildren(text);
}

function setUpComposer(community: CommunityPageData, send: (text: string) => Promise<void>): void {
  const form = document.getElementById("composer") as HTMLFormElement | null;
  const text = document.getElementById("post-text") as HTMLTextAreaElement | null;
  const room = document.getElementById("post-room");
  if (!form || !text || !room) return;
  const max = postRoom(community.hashtag);
  const count = () => {
    const left = max - graphemes(text.value);
    room.textContent = `${left} characters left`;
    room.classList.toggle("over", left < 0);
  };
  text.addEventListener("input", count);
  count();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]") as HTMLButtonElement;
    try {
      await whileBusy(button, "Posting…", () => send(text.value));
      form.reset();
      count();
    } catch (err) {
      sayProblem(err, "posting");
    }
  });
}

/** "Hide" and "Block" in each post's own line, for the owner and moderators. */
function addModerationTools(community: CommunityPageData, session: Session): void {
  for (const item of document.querySelectorAll<HTMLElement>("#feed .post")) {
    const tools = item.querySelector(".post-tools");
    if (!tools || tools.childElementCount > 0) continue;
    const hide = el("button", { type: "button", class: "link-button", "data-moderate": "hide" }, "Hide");
    if (!item.dataset.cid) {
      hide.disabled = true;
      hide.title = "The post could not be read; try again later";
    }
    const author = item.dataset.author;
    const canBlock = author && author !== community.owner && author !== session.did;
    tools.append(
      hide,
      ...(canBlock
        ? [el("button", { type: "button", class: "link-button", "data-moderate": "block" }, "Block")]
        : []),
    );
  }
}
