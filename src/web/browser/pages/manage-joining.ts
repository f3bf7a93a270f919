// The owner's choices on the manage page about who belongs: who may join and
// who gets the whole feed (one form), and the rules (a list). A switch to
// approval first approves the current members: the dialog says how many
// before anything is written, and the members it counted are the ones approved.

import { plural } from "../../shared/format.ts";
import { MAX_RULES } from "../../shared/limits.ts";
import type { Actor, Outcome } from "../actions.ts";
import { membersToApprove, updateCommunity } from "../community-config.ts";
import type { CommunityPageData } from "../config.ts";
import { el, say, sayProblem, whileBusy } from "../ui.ts";

type After = (outcome: Outcome) => Promise<void>;

function enable(form: HTMLFormElement | null): form is HTMLFormElement {
  const fieldset = form?.querySelector("fieldset");
  if (fieldset) fieldset.disabled = false;
  return Boolean(form && fieldset);
}

/** Asks before a switch to approval; true when the owner confirms. */
function confirmSwitch(count: number): Promise<boolean> {
  const dialog = document.getElementById("approval-dialog") as HTMLDialogElement | null;
  if (!dialog) return Promise.resolve(false);
  const text =
    count === 0
      ? "No current member needs approving (the owner and moderators need none). From now on, new members wait for a moderator's approval."
      : `Switching first approves the ${plural(count, "current member")}, so no one drops out. From now on, new members wait for a moderator's approval.`;
  document.getElementById("approval-dialog-text")?.replaceChildren(text);
  document
    .getElementById("approval-confirm")
    ?.replaceChildren(count === 0 ? "Switch to approval" : `Approve ${plural(count, "member")} and switch`);
  dialog.returnValue = "";
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "switch"), { once: true });
    dialog.showModal();
  });
}

export function setUpPolicyForm(actor: Actor, community: CommunityPageData, after: After): void {
  const form = document.getElementById("policy-form") as HTMLFormElement | null;
  if (!enable(form)) return;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const joinPolicy = data.get("joinPolicy") === "approval" ? "approval" : "open";
    const feedVisibility = data.get("feedVisibility") === "members" ? "members" : "public";
    const button = form.querySelector("button[type=submit]") as HTMLButtonElement;
    try {
      const outcome = await whileBusy(button, "Saving…", async () => {
        let approveFirst: string[] | undefined;
        if (joinPolicy === "approval" && community.joinPolicy !== "approval") {
          approveFirst = await membersToApprove(actor, community);
          if (!(await confirmSwitch(approveFirst.length))) return null;
        }
        return updateCommunity(actor, community, { joinPolicy, feedVisibility }, approveFirst);
      });
      if (!outcome) {
        say("Nothing was changed.");
        return;
      }
      Object.assign(community, { joinPolicy, feedVisibility });
      await after(outcome);
    } catch (err) {
      sayProblem(err, "saving who may join");
    }
  });
}

export function setUpRulesForm(actor: Actor, community: CommunityPageData, after: After): void {
  const form = document.getElementById("rules-form") as HTMLFormElement | null;
  const list = document.getElementById("rule-fields");
  const add = document.getElementById("add-rule") as HTMLButtonElement | null;
  if (!enable(form) || !list || !add) return;
  const fields = () => list.querySelectorAll("input");
  add.disabled = fields().length >= MAX_RULES;
  add.addEventListener("click", () => {
    const n = fields().length + 1;
    if (n > MAX_RULES) return;
    const input = el("input", { id: `rule-${n}`, name: "rule", type: "text" });
    list.append(
      el("li", {}, el("label", { class: "visually-hidden", for: `rule-${n}` }, `Rule ${n}`), input),
    );
    add.disabled = n >= MAX_RULES;
    input.focus();
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const rules = new FormData(form).getAll("rule").map(String);
    const button = form.querySelector("button[type=submit]") as HTMLButtonElement;
    await whileBusy(button, "Saving…", () => updateCommunity(actor, community, { rules })).then(
      after,
      (err: unknown) => sayProblem(err, "saving the rules"),
    );
  });
}
