// Managing a community: the owner edits its details, who may join, who gets
// the feed, its rules and moderators, and may delete it (after a
// confirmation); the owner and moderators answer join requests, invite,
// block members (for a chosen time) and read (and undo) the moderation log.
import { type Actor, deleteCommunity, moderate, type Outcome } from "../actions.ts";
import { askBlock } from "../block-dialog.ts";
import { updateCommunity } from "../community-config.ts";
import { type CommunityPageData, readCommunity, type WebConfig } from "../config.ts";
import { Problem } from "../errors.ts";
import { resolveActor } from "../identity.ts";
import type { Session } from "../session.ts";
import { el, flash, refreshFromServer, say, sayProblem, whileBusy } from "../ui.ts";
import { answerRequest, loadRequests, setUpInvite } from "./join-requests.ts";
import { setUpPolicyForm, setUpRulesForm } from "./manage-joining.ts";
import { loadLog } from "./moderation-log.ts";

const REGIONS = ["moderator-list", "member-list"];

export async function startManagePage(config: WebConfig, session: Session | null): Promise<void> {
  const gate = document.getElementById("manage-gate");
  if (!session || !gate) return;
  const community = readCommunity();
  const actor = { session, config };
  const owner = community.owner === session.did;
  if (!owner && !community.moderators.includes(session.did)) {
    gate.textContent =
      "You are not the owner or a moderator of this community, so there is nothing to manage here.";
    return;
  }
  gate.textContent = owner ? "You own this community." : "You moderate this community.";

  const after = async (outcome: Outcome | null) => {
    if (!outcome) return;
    say(outcome.message);
    await refreshFromServer(REGIONS);
    addRowTools(community, session, owner);
    await Promise.all([loadRequests(actor, community), loadLog(actor, community)]);
  };
  if (owner) {
    setUpOwnerForms(actor, community, after);
    setUpPolicyForm(actor, community, after);
    setUpRulesForm(actor, community, after);
    setUpDelete(actor, community);
  }
  setUpInvite(actor, community, after);
  addRowTools(community, session, owner);
  document.addEventListener("click", (event) => {
    const button = (event.target as Element).closest<HTMLButtonElement>("button[data-act]");
    if (button) void act(actor, community, button).then(after, (err: unknown) => sayProblem(err, "saving"));
  });
  await Promise.all([loadRequests(actor, community), loadLog(actor, community)]);
}

function setUpOwnerForms(
  actor: Actor,
  community: CommunityPageData,
  after: (o: Outcome) => Promise<void>,
): void {
  const details = document.getElementById("details-form") as HTMLFormElement | null;
  const add = document.getElementById("add-moderator-form") as HTMLFormElement | null;
  for (const form of [details, add]) {
    const fieldset = form?.querySelector("fieldset");
    if (fieldset) fieldset.disabled = false;
  }
  details?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(details);
    const button = details.querySelector("button[type=submit]") as HTMLButtonElement;
    const change = {
      name: String(data.get("name") ?? ""),
      description: String(data.get("description") ?? ""),
    };
    await whileBusy(button, "Saving…", () => updateCommunity(actor, community, change)).then(
      after,
      (err: unknown) => sayProblem(err, "saving the details"),
    );
  });
  add?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = String(new FormData(add).get("actor") ?? "");
    const button = add.querySelector("button[type=submit]") as HTMLButtonElement;
    await whileBusy(button, "Adding…", async () => {
      const did = await resolveActor(actor.config, input);
      const outcome = await updateCommunity(actor, community, { addModerator: did });
      add.reset();
      return outcome;
    }).then(after, (err: unknown) => sayProblem(err, "adding the moderator"));
  });
}

/** "Delete this community…" asks in a dialog first; deleted, the owner goes home. */
function setUpDelete(actor: Actor, community: CommunityPageData): void {
  const section = document.getElementById("delete-section");
  const open = document.getElementById("delete-button") as HTMLButtonElement | null;
  const dialog = document.getElementById("delete-dialog") as HTMLDialogElement | null;
  if (!section || !open || !dialog) return;
  section.hidden = false;
  open.addEventListener("click", () => dialog.showModal());
  dialog.addEventListener("close", async () => {
    if (dialog.returnValue !== "delete") return;
    dialog.returnValue = "";
    try {
      const outcome = await whileBusy(open, "Deleting…", () => deleteCommunity(actor, community));
      flash(outcome.message);
      location.assign("/");
    } catch (err) {
      sayProblem(err, "deleting the community");
    }
  });
}

/** Remove (owner, for moderators) and Block (everyone who manages, for members) in each row. */
function addRowTools(community: CommunityPageData, session: Session, owner: boolean): void {
  const tool = (label: string, act: string, row: HTMLElement) => {
    const did = row.dataset.did ?? "";
    const name = row.querySelector(".person")?.textContent ?? did;
    return el(
      "button",
      { type: "button", class: "link-button", "data-act": act, "data-did": did, "data-name": name },
      label,
    );
  };
  for (const row of document.querySelectorAll<HTMLElement>("#moderator-list .row")) {
    const did = row.dataset.did ?? "";
    const tools = row.querySelector(".row-tools");
    if (owner && tools?.childElementCount === 0 && did !== community.owner)
      tools.append(tool("Remove", "remove-moderator", row));
  }
  for (const row of document.querySelectorAll<HTMLElement>("#member-list .row")) {
    const did = row.dataset.did ?? "";
    const tools = row.querySelector(".row-tools");
    if (tools?.childElementCount === 0 && did !== community.owner && did !== session.did)
      tools.append(tool("Block…", "block", row));
  }
}

/** What a row's button does; null when the person thought better of it (a block they cancelled). */
async function act(
  actor: Actor,
  community: CommunityPageData,
  button: HTMLButtonElement,
): Promise<Outcome | null> {
  const did = button.dataset.did ?? "";
  const post = { uri: button.dataset.uri ?? "", cid: button.dataset.cid ?? "" };
  const act = button.dataset.act ?? "";
  if (act === "block") {
    const choice = await askBlock(button.dataset.name ?? did);
    if (!choice) return null;
    return whileBusy(button, "Blocking…", () => moderate(actor, community, "block_user", { did }, choice));
  }
  return whileBusy(button, "Saving…", () => {
    switch (act) {
      case "remove-moderator":
        return updateCommunity(actor, community, { removeModerator: did });
      case "approve":
      case "decline":
        return answerRequest(actor, community, act, did, button.dataset.name ?? did);
      case "unblock":
        return moderate(actor, community, "unblock_user", { did });
      case "unapprove":
        return moderate(actor, community, "unapprove_member", { did });
      case "unhide":
        return moderate(actor, community, "unhide_post", post);
      case "unpin":
        return moderate(actor, community, "unpin_post", post);
      default:
        throw new Problem("invalid", "Unknown action");
    }
  });
}
