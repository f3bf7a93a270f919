// The manage page's join requests: who waits for approval, since when and
// how many of their posts are held (com.atrarium.community.getJoinRequests,
// which the Worker answers only for the owner and moderators, through the
// user's PDS), each with Approve and Decline; and invitations by handle.
// Approving writes an approve_member: the person counts and their held posts
// appear. Declining blocks them (a block_user that says why): the index has
// no other way to stop someone waiting, and a block can be undone from the log.
import type * as GetJoinRequests from "../../../client/lexicon/types/com/atrarium/community/getJoinRequests.ts";
import { personName, plural } from "../../shared/format.ts";
import { profileUrl } from "../../shared/links.ts";
import { type Actor, moderate, type Outcome } from "../actions.ts";
import type { CommunityPageData } from "../config.ts";
import { hydrate } from "../hydrate.ts";
import { resolveActor } from "../identity.ts";
import { el, localizeTimes, sayProblem, whileBusy } from "../ui.ts";
import { proxied } from "../xrpc.ts";

/** The reason a declined request's block gives, in the log. */
export const DECLINE_REASON = "declined their request to join";

export async function loadRequests(actor: Actor, community: CommunityPageData): Promise<void> {
  const box = document.getElementById("join-requests");
  if (!box) return;
  box.setAttribute("aria-busy", "true");
  try {
    const { requests } = await proxied<GetJoinRequests.OutputSchema>(
      actor.session,
      actor.config,
      "com.atrarium.community.getJoinRequests",
      { doing: "reading the join requests", params: { community: community.uri, limit: 100 } },
    );
    const { handles } = await hydrate(requests.map((r) => r.did));
    const nobody =
      community.joinPolicy === "approval"
        ? "No one is waiting for approval."
        : "Anyone who joins is a member now, so no one waits for approval.";
    box.replaceChildren(
      requests.length === 0
        ? el("p", { class: "empty" }, nobody)
        : el("ul", { class: "rows", id: "request-list" }, ...requests.map((r) => requestRow(r, handles))),
    );
    localizeTimes(box);
  } catch (err) {
    box.replaceChildren(el("p", { class: "error" }, err instanceof Error ? err.message : String(err)));
  } finally {
    box.removeAttribute("aria-busy");
  }
}

type Request = GetJoinRequests.OutputSchema["requests"][number];

function requestRow(request: Request, handles: Record<string, string>): HTMLElement {
  const name = personName(request.did, handles[request.did]);
  const tool = (label: string, act: string) =>
    el(
      "button",
      { type: "button", class: "link-button", "data-act": act, "data-did": request.did, "data-name": name },
      label,
    );
  const held = request.heldPosts === 0 ? "no posts held" : `${plural(request.heldPosts, "post")} held`;
  return el(
    "li",
    { class: "row", "data-did": request.did },
    el(
      "span",
      { class: "row-main" },
      el("a", { class: "person", href: profileUrl(handles[request.did] ?? request.did) }, name),
    ),
    el(
      "span",
      { class: "row-meta" },
      "asked ",
      el("time", { datetime: request.joinedAt }, request.joinedAt),
      ` · ${held}`,
    ),
    el("span", { class: "row-tools" }, tool("Approve", "approve"), tool("Decline", "decline")),
  );
}

/** Approve or Decline, from a request's row. */
export function answerRequest(
  actor: Actor,
  community: CommunityPageData,
  act: "approve" | "decline",
  did: string,
  name: string,
): Promise<Outcome> {
  return act === "approve"
    ? moderate(
        actor,
        community,
        "approve_member",
        { did },
        {},
        `Approved ${name}: their posts are in the feed now`,
      )
    : moderate(
        actor,
        community,
        "block_user",
        { did },
        { reason: DECLINE_REASON },
        `Declined: ${name} is blocked from this community (unblock them in the log to undo it)`,
      );
}

/** "Invite by handle or DID": an approval written before the person joins. */
export function setUpInvite(
  actor: Actor,
  community: CommunityPageData,
  after: (o: Outcome) => Promise<void>,
) {
  const form = document.getElementById("invite-form") as HTMLFormElement | null;
  const fieldset = form?.querySelector("fieldset");
  if (!form || !fieldset) return;
  fieldset.disabled = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const typed = String(new FormData(form).get("actor") ?? "");
    const button = form.querySelector("button[type=submit]") as HTMLButtonElement;
    await whileBusy(button, "Inviting…", async () => {
      const did = await resolveActor(actor.config, typed);
      const name = typed.trim().startsWith("did:") ? did : `@${typed.trim().replace(/^@/, "")}`;
      const outcome = await moderate(
        actor,
        community,
        "approve_member",
        { did },
        {},
        `Invited ${name}: they count as soon as they join`,
      );
      form.reset();
      return outcome;
    }).then(after, (err: unknown) => sayProblem(err, "inviting"));
  });
}
