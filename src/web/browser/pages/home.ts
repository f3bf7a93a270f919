// The community list: signed in, the "Sign in to create a community" link
// becomes the form (kept in a <template> by the server). After creating, the
// owner lands on the page that says what to do next.
import { startPath } from "../../shared/links.ts";
import { createCommunity } from "../actions.ts";
import type { WebConfig } from "../config.ts";
import type { Session } from "../session.ts";
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
