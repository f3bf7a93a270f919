// A community page for signed-in people: join (or ask to join) or leave,
// post, and (for the owner and moderators) a Manage link in the header and
// the tools on each post of the feed. The owner has no "Leave": a community is
// left by deleting it. Where moderators approve new members, a member who
// waits is told so, and so is someone invited. A member of a members-only
// community gets the whole feed in place of the pinned posts the server shows
// everyone. Every control goes into a place the server already rendered.
import type * as GetMembership from "../../../client/lexicon/types/com/atrarium/community/getMembership.ts";
import { managePath } from "../../shared/links.ts";
import { join, leave, type Outcome, post } from "../actions.ts";
import { type CommunityPageData, readCommunity, type WebConfig } from "../config.ts";
import { showMemberFeed } from "../member-feed.ts";
import { graphemes, postRoom } from "../records.ts";
import type { Session } from "../session.ts";
import { el, refreshFromServer, say, sayProblem, whileBusy } from "../ui.ts";
import { worker } from "../xrpc.ts";
import { addPostTools, listenToPostTools } from "./post-tools.ts";

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
  let status: Status = "none";
  const wholeFeed = () => community.feedVisibility === "members" && status === "member";

  /** The feed and the counts as they are now: the member's own feed, or the server's page. */
  const refresh = async () => {
    await refreshFromServer(wholeFeed() ? ["facts"] : ["feed", "facts"]);
    if (wholeFeed())
      await showMemberFeed(actor, community).catch((err) => sayProblem(err, "reading the feed"));
    if (moderator) addPostTools(community, session);
    explainMembersOnly(community, status);
  };
  const show = async (outcome: Outcome) => {
    say(outcome.message);
    await refresh();
    if (!outcome.indexed) setTimeout(() => void refresh(), FIREHOSE_WAIT_MS);
  };
  const setStatus = async (next: Status) => {
    const before = wholeFeed();
    status = next;
    showMembership(community, session, status, joinButton, owner);
    if (wholeFeed() !== before) await refresh();
    else explainMembersOnly(community, status);
  };

  joinButton.addEventListener("click", async () => {
    const leaving = status === "member" || status === "pending";
    const withdrawing = status === "pending";
    const asking = !leaving && guessStatus(false, community, moderator, status) === "pending";
    try {
      const outcome = await whileBusy(joinButton, leaving ? "Leaving…" : "Joining…", () =>
        withdrawing
          ? leave(actor, community, `You withdrew your request to join “${community.name}”`)
          : leaving
            ? leave(actor, community)
            : asking
              ? join(
                  actor,
                  community,
                  `You asked to join “${community.name}”: a moderator lets new members in`,
                )
              : join(actor, community),
      );
      // The record is in the person's repo either way; the index says what it means.
      const next = outcome.indexed
        ? await membershipOf(community, session)
        : guessStatus(leaving, community, moderator, status);
      await setStatus(next);
      await show(outcome);
    } catch (err) {
      sayProblem(err, withdrawing ? "withdrawing your request" : leaving ? "leaving" : "joining");
    }
  });

  setUpComposer(community, async (text) => {
    const outcome = await post(actor, community, text);
    // A member who waits for approval posts too: the post is held until they are let in.
    const held =
      status === "pending"
        ? { ...outcome, message: `${outcome.message} It shows here once a moderator approves you.` }
        : outcome;
    await show(held);
  });
  if (moderator) {
    addPostTools(community, session);
    listenToPostTools(actor, community, show);
  }

  try {
    await setStatus(await membershipOf(community, session));
  } catch (err) {
    await setStatus("none");
    sayProblem(err, "checking your membership");
  }
}

async function membershipOf(community: CommunityPageData, session: Session): Promise<Status> {
  const membership = await worker<GetMembership.OutputSchema>("com.atrarium.community.getMembership", {
    doing: "checking your membership",
    params: { community: community.uri, actor: session.did },
  });
  return membership.status;
}

/** What joining or leaving made of someone, when the index could not be asked yet. */
function guessStatus(
  left: boolean,
  community: CommunityPageData,
  moderator: boolean,
  before: Status,
): Status {
  if (left) return "left";
  return community.joinPolicy === "approval" && !moderator && before !== "invited" ? "pending" : "member";
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

/** The join control's words, and the sentence above the post box, for each standing. */
function words(community: CommunityPageData, status: Status, who: string): { button: string; note: string } {
  const asks = community.joinPolicy === "approval";
  switch (status) {
    case "member":
      return { button: "Leave", note: `Posting as ${who}.` };
    case "pending":
      return {
        button: "Cancel request",
        note: `Waiting for approval: a moderator lets new members in. What you post here waits until then, as ${who}.`,
      };
    case "invited":
      return {
        button: "Join",
        note: `You're invited: join and you are a member at once, posting as ${who}.`,
      };
    case "blocked":
      return {
        button: "Blocked",
        note: "You are blocked from this community: your posts do not appear in its feed.",
      };
    default:
      return {
        button: asks ? "Ask to join" : "Join",
        note: asks
          ? `Ask to join to post here, as ${who}: a moderator lets new members in.`
          : `Join to post here, as ${who}.`,
      };
  }
}

function showMembership(
  community: CommunityPageData,
  session: Session,
  status: Status,
  button: HTMLButtonElement,
  owner: boolean,
): void {
  const member = status === "member";
  // The owner stays a member as long as the community exists; one who is not (yet) may join.
  if (owner && !member && !button.isConnected) document.getElementById("community-actions")?.append(button);
  if (owner && member) button.remove();
  const { button: label, note } = words(community, status, session.handle ? `@${session.handle}` : "you");
  button.disabled = status === "blocked";
  button.textContent = label;
  button.classList.toggle("primary", !member && status !== "pending");
  const fieldset = document.querySelector<HTMLFieldSetElement>("#composer fieldset");
  // A member waiting for approval may post: the post is held, and shows once they are approved.
  if (fieldset) fieldset.disabled = !(member || status === "pending");
  document.getElementById("composer-note")?.replaceChildren(note);
}

/** Under a members-only feed's pinned posts: what this reader does to see the rest. */
function explainMembersOnly(community: CommunityPageData, status: Status): void {
  const note = document.getElementById("members-only-note");
  if (!note) return;
  const text =
    status === "pending"
      ? "Only members see all of this community's posts: you will once a moderator approves you."
      : status === "blocked"
        ? "Only members see all of this community's posts."
        : `Only members see all of this community's posts: ${community.joinPolicy === "approval" ? "ask to join" : "join"} to see them.`;
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
