// The moderation log of the manage page, which the Worker gives only to the
// owner and moderators (the call goes through the user's PDS, which vouches
// for who is asking). Each action reads as a sentence ("@alice.test pinned a
// post by @bob.test: …", "blocked @carol.test until …"); one that was undone
// says by whom, a timed block that is over says when it ended, and the
// decision in force on a target can be undone from its row.
import type * as GetActions from "../../../client/lexicon/types/com/atrarium/moderation/getActions.ts";
import { personName } from "../../shared/format.ts";
import { profileUrl } from "../../shared/links.ts";
import { type PostView, richText } from "../../shared/post.ts";
import type { Actor } from "../actions.ts";
import type { CommunityPageData } from "../config.ts";
import { type Hydrated, hydrate } from "../hydrate.ts";
import { el, localizeTimes } from "../ui.ts";
import { proxied } from "../xrpc.ts";

type ActionView = GetActions.OutputSchema["actions"][number];

export async function loadLog(actor: Actor, community: CommunityPageData): Promise<void> {
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
    const targets = actions.map((a) =>
      "did" in a.target ? { did: a.target.did } : "uri" in a.target ? { uri: a.target.uri } : {},
    );
    const names = await hydrate(
      [...actions.map((a) => a.author), ...targets.map((t) => t.did ?? (t.uri ? authorOf(t.uri) : ""))],
      targets.flatMap((t) => (t.uri ? [t.uri] : [])),
    );
    box.replaceChildren(
      actions.length === 0
        ? el("p", { class: "empty" }, "No moderation actions yet.")
        : el("ul", { class: "rows" }, ...logRows(actions, names, Date.now())),
    );
    localizeTimes(box);
  } catch (err) {
    box.replaceChildren(el("p", { class: "error" }, err instanceof Error ? err.message : String(err)));
  } finally {
    box.removeAttribute("aria-busy");
  }
}

const authorOf = (uri: string) => uri.split("/")[2] ?? "";

const STATUS: Record<string, string> = {
  applied: "in effect",
  rejected: "ignored (its author is not a moderator)",
  pending: "pending",
};

/** What each action did, as the log says it before its target. */
const DID: Record<string, string> = {
  hide_post: "hid a post by",
  unhide_post: "showed again a post by",
  pin_post: "pinned a post by",
  unpin_post: "unpinned a post by",
  block_user: "blocked",
  unblock_user: "unblocked",
  approve_member: "approved",
  unapprove_member: "took back the approval of",
};

/** The action that undoes each one, with its button's words and what the button does. */
const UNDO: Record<string, { label: string; act: string }> = {
  hide_post: { label: "Unhide", act: "unhide" },
  pin_post: { label: "Unpin", act: "unpin" },
  block_user: { label: "Unblock", act: "unblock" },
  approve_member: { label: "Take back", act: "unapprove" },
};

/** Actions that decide the same thing about a target (a hide and an unhide, a pin and an unpin, …). */
const FAMILY: Record<string, string> = {
  hide_post: "hide",
  unhide_post: "hide",
  pin_post: "pin",
  unpin_post: "pin",
  block_user: "block",
  unblock_user: "block",
  approve_member: "approve",
  unapprove_member: "approve",
};

/** A post's text with its links, as the pages show it everywhere. */
function postText(post: PostView): Node[] {
  return richText(post.text ?? "", post.facets ?? []).map((s) =>
    s.href ? el("a", { href: s.href }, s.text) : document.createTextNode(s.text),
  );
}

const timeOf = (iso: string) => el("time", { datetime: iso }, iso);

export function logRows(actions: ActionView[], names: Hydrated, now: number): HTMLElement[] {
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
    // The newest action of a kind on a target is the decision in force; only it can be undone.
    const key = `${FAMILY[action.action] ?? action.action} ${target}`;
    const latest = !seen.has(key);
    seen.add(key);
    const did = DID[action.action] ?? action.action;
    const what: (Node | string)[] = [person(action.author), " "];
    if ("uri" in action.target) {
      const shown = posts.get(action.target.uri);
      what.push(`${did} `, person(authorOf(action.target.uri)));
      if (shown?.text) what.push(": “", ...postText(shown), "”");
    } else {
      what.push(`${did} `, person(target));
    }
    const ends = action.expiresAt ? Date.parse(action.expiresAt) : undefined;
    if (action.expiresAt) what.push(" until ", timeOf(action.expiresAt));
    if (action.reason) what.push(` (${action.reason})`);
    const undone = action.undoneBy;
    const ended = !undone && action.status === "applied" && ends !== undefined && ends <= now;
    const status: (Node | string)[] = undone
      ? [" · undone by ", person(undone.author), " ", timeOf(undone.createdAt)]
      : ended
        ? [" · over: the block ended by itself"]
        : [` · ${STATUS[action.status] ?? action.status}`];
    const tools = el("span", { class: "row-tools" });
    const undo = UNDO[action.action];
    if (latest && !undone && !ended && undo && action.status === "applied") {
      const attrs: Record<string, string> = { type: "button", class: "link-button", "data-act": undo.act };
      if ("uri" in action.target)
        Object.assign(attrs, { "data-uri": action.target.uri, "data-cid": action.target.cid });
      else attrs["data-did"] = target;
      tools.append(el("button", attrs, undo.label));
    }
    return el(
      "li",
      { class: undone || ended ? "row undone" : "row" },
      el("span", { class: "row-main" }, ...what),
      el("span", { class: "row-meta" }, timeOf(action.createdAt), ...status),
      tools,
    );
  });
}
