// The community list: signed in, the "Sign in to create a community" link
// becomes the form (kept in a <template> by the server). After creating, the
// owner lands on the page that says what to do next.
import { startPath } from "../../shared/links.ts";
import { createCommunity } from "../actions.ts";
import type { WebConfig } from "../config.ts";
import { rememberedAccount, type Session } from "../session.ts";
import { say, sayProblem, whileBusy } from "../ui.ts";

export function startHomePage(config: WebConfig, session: Session | null): void {
  const template = document.getElementById("create-form-template") as HTMLTemplateElement | null;
  const signIn = document.getElementById("create-signin");
  if (!session || !template || !signIn) return;
  const form = template.content.firstElementChild?.cloneNode(true) as HTMLFormElement;
  signIn.replaceWith(form);
  const submit = form.querySelector("button[type=submit]") as HTMLButtonElement;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    try {
      const created = await whileBusy(submit, "Creating…", () =>
        createCommunity(
          { session, config },
          { name: String(data.get("name") ?? ""), description: String(data.get("description") ?? "") },
        ),
      );
      const next = startPath(created.hashtag);
      if (created.indexed) {
        location.assign(next);
        return;
      }
      say(created.message, "ok", { href: next, label: "What next" });
      form.reset();
    } catch (err) {
      sayProblem(err, "creating the community");
    }
  });
}

/**
 * Signed in, the home page lists your communities first. The server learns
 * whose they are from `viewer` in the address (it only orders the list:
 * memberships are public records), so links home carry it, and a home page
 * opened without it fetches its list again with it and puts it in place (the
 * rest of the page stays as it is). Runs before the session is restored: the
 * remembered account is enough to order a list.
 */
export async function orderHomeForViewer(page: string | undefined): Promise<void> {
  const did = rememberedAccount()?.did;
  if (!did) return;
  for (const link of document.querySelectorAll<HTMLAnchorElement>('a[href="/"]'))
    link.href = `/?${new URLSearchParams({ viewer: did })}`;
  const current = document.getElementById("communities");
  const url = new URL(location.href);
  if (page !== "home" || !current || url.searchParams.get("viewer") === did) return;
  url.searchParams.set("viewer", did);
  const res = await fetch(url, { headers: { accept: "text/html" } }).catch(() => null);
  if (!res?.ok) return;
  const ordered = new DOMParser()
    .parseFromString(await res.text(), "text/html")
    .getElementById("communities");
  if (!ordered) return;
  current.replaceWith(document.importNode(ordered, true));
  history.replaceState(history.state, "", url);
}
