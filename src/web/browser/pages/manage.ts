// Managing a community: the owner edits its details and moderators, and may
// delete it (after a confirmation); the owner and moderators block members
// and read (and undo) the moderation log, which the Worker gives only to them
// (the call goes through the user's PDS, which vouches for who is asking).
// An action that was undone says so, and by whom.
import type * as GetActions from "../../../client/lexicon/types/com/atrarium/moderation/getActions.ts";
import { personName } from "../../shared/format.ts";
import { profileUrl } from "../../shared/links.ts";
import { type PostView, richText } from "../../shared/post.ts";
import { type Actor, deleteCommunity, moderate, type Outcome, updateCommunity } from "../actions.ts";
import { type CommunityPageData, readCommunity, type WebConfig } from "../config.ts";
import { Problem } from "../errors.ts";
import type { ActionName } from "../records.ts";
import type { Session } from "../session.ts";
import { el, flash, localizeTimes, refreshFromServer, say, sayProblem, whileBusy } from "../ui.ts";
import { proxied } from "../xrpc.ts";

type ActionView = GetActions.OutputSchema["actions"][number];
interface Hydrated {
  handles: Record<string, string>;
  posts: PostView[];
}

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

  const after = async (outcome: Outcome) => {
    say(outcome.message);
    await refreshFromServer(REGIONS);
    addRowTools(community, session, owner);
    await loadLog(actor, community);
  };
  if (owner) {
    setUpOwnerForms(actor, community, after);
    setUpDelete(actor, community);
  }
  addRowTools(community, session, owner);
  document.addEventListener("click", (event) => {
    const button = (event.target as Element).closest<HTMLButtonElement>("button[data-act]");
    if (button) void act(actor, community, button).then(after, (err: unknown) => sayProblem(err, "saving"));
  });
  await loadLog(actor, community);
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

/** A DID for a handle or DID typed by the owner. */
async function resolveActor(config: WebConfig, input: string): Promise<string> {
  const value = input.trim().replace(/^@/, "");
  if (value.startsWith("did:")) return value;
  const url = new URL("/xrpc/com.atproto.identity.resolveHandle", config.handleResolver);
  url.searchParams.set("handle", value.toLowerCase());
  const res = await fetch(url).catch(() => null);
  const body = (await res?.json().catch(() => null)) as { did?: string } | null;
  if (!res)
    throw new Problem("network", "The handle could not be looked up right now. Try again, or paste the DID.");
  if (!body?.did) throw new Problem("invalid", `No account has the handle “${value}”.`);
  return body.did;
}

/** Remove (owner, for moderators) and Block (everyone who manages, for members) in each row. */
function addRowTools(community: CommunityPageData, session: Session, owner: boolean): void {
  const tool = (label: string, act: string, did: string) =>
    el("button", { type: "button", class: "link-button", "data-act": act, "data-did": did }, label);
  for (const row of document.querySelectorAll<HTMLElement>("#moderator-list .row")) {
    const did = row.dataset.did ?? "";
    const tools = row.querySelector(".row-tools");
    if (owner && tools?.childElementCount === 0 && did !== community.owner)
      tools.append(tool("Remove", "remove-moderator", did));
  }
  for (const row of document.querySelectorAll<HTMLElement>("#member-list .row")) {
    const did = row.dataset.did ?? "";
    const tools = row.querySelector(".row-tools");
    if (tools?.childElementCount === 0 && did !== community.owner && did !== session.did)
      tools.append(tool("Block", "block", did));
  }
}

const UNDO: Record<string, ActionName> = { hide_post: "unhide_post", block_user: "unblock_user" };

async function act(actor: Actor, community: CommunityPageData, button: HTMLButtonElement): Promise<Outcome> {
  const did = button.dataset.did ?? "";
  return whileBusy(button, "Saving…", () => {
    switch (button.dataset.act) {
      case "remove-moderator":
        return updateCommunity(actor, community, { removeModerator: did });
      case "block":
        return moderate(actor, community, "block_user", { did });
      case "unblock":
        return moderate(actor, community, "unblock_user", { did });
      case "unhide":
        return moderate(actor, community, "unhide_post", {
          uri: button.dataset.uri ?? "",
          cid: button.dataset.cid ?? "",
        });
      default:
        throw new Problem("invalid", "Unknown action");
    }
  });
}

async function loadLog(actor: Actor, community: CommunityPageData): Promise<void> {
  const box = document.getElementById("moderation-log");
  if (!box) return;
  box.setAttribute("aria-busy", "true");
  box.replaceChildren(el("p", { class: "hint" }, "Loading the moderation log…"));
  try {
    const { actions } = await proxied<GetActions.OutputSchema>(
      actor.session,
      actor.config,
      "com.atrarium.moderation.getActions",
      { doing: "reading the moderation log", params: { community: community.uri, limit: 100 } },
    );
    const names = await hydrate(actions);
    box.replaceChildren(
      actions.length === 0
        ? el("p", { class: "empty" }, "No moderation actions yet.")
        : el("ul", { class: "rows" }, ...logRows(actions, names)),
    );
    localizeTimes(box);
  } catch (err) {
    box.replaceChildren(el("p", { class: "error" }, err instanceof Error ? err.message : String(err)));
  } finally {
    box.removeAttribute("aria-busy");
  }
}

async function hydrate(actions: ActionView[]): Promise<Hydrated> {
  const search = new URLSearchParams();
  for (const a of actions) {
    search.append("did", a.author);
    if ("did" in a.target) search.append("did", a.target.did);
    if ("uri" in a.target) {
      search.append("uri", a.target.uri);
      search.append("did", a.target.uri.split("/")[2] ?? "");
    }
  }
  const res = await fetch(`/web/hydrate?${search}`).catch(() => null);
  return res?.ok ? ((await res.json()) as Hydrated) : { handles: {}, posts: [] };
}

const STATUS: Record<string, string> = {
  applied: "in effect",
  rejected: "ignored (its author is not a moderator)",
  pending: "pending",
};

/** A post's text with its links, as the pages show it everywhere. */
function postText(post: PostView): Node[] {
  return richText(post.text ?? "", post.facets ?? []).map((s) =>
    s.href ? el("a", { href: s.href }, s.text) : document.createTextNode(s.text),
  );
}

function logRows(actions: ActionView[], names: Hydrated): HTMLElement[] {
  const person = (did: string) =>
    el(
      "a",
      { class: "person", href: profileUrl(names.handles[did] ?? did) },
      personName(did, names.handles[did]),
    );
  const posts = new Map(names.posts.map((p) => [p.uri, p]));
  const seen = new Set<string>();
  return actions.map((action) => {
    const target =
      "did" in action.target ? action.target.did : "uri" in action.target ? action.target.uri : "";
    // The newest action on a target is the decision in force; only it can be undone.
    const latest = !seen.has(target);
    seen.add(target);
    const what: (Node | string)[] = [person(action.author), " "];
    if ("uri" in action.target) {
      const shown = posts.get(action.target.uri);
      const author = action.target.uri.split("/")[2] ?? "";
      what.push(`${action.action === "hide_post" ? "hid" : "showed again"} a post by `, person(author));
      if (shown?.text) what.push(": “", ...postText(shown), "”");
    } else {
      what.push(`${action.action === "block_user" ? "blocked" : "unblocked"} `, person(target));
    }
    if (action.reason) what.push(` (${action.reason})`);
    const undone = action.undoneBy;
    const status: (Node | string)[] = undone
      ? [
          " · undone by ",
          person(undone.author),
          " ",
          el("time", { datetime: undone.createdAt }, undone.createdAt),
        ]
      : [` · ${STATUS[action.status] ?? action.status}`];
    const tools = el("span", { class: "row-tools" });
    const undo = UNDO[action.action];
    if (latest && !undone && undo && action.status === "applied") {
      const attrs: Record<string, string> = { type: "button", class: "link-button" };
      if ("uri" in action.target)
        Object.assign(attrs, {
          "data-act": "unhide",
          "data-uri": action.target.uri,
          "data-cid": action.target.cid,
        });
      else Object.assign(attrs, { "data-act": "unblock", "data-did": target });
      tools.append(el("button", attrs, undo === "unhide_post" ? "Unhide" : "Unblock"));
    }
    return el(
      "li",
      { class: undone ? "row undone" : "row" },
      el("span", { class: "row-main" }, ...what),
      el(
        "span",
        { class: "row-meta" },
        el("time", { datetime: action.createdAt }, action.createdAt),
        ...status,
      ),
      tools,
    );
  });
}
