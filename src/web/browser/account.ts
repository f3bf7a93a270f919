// The account area of the header: "Sign in", or who is signed in and "Sign out".

import type { Session } from "./session.ts";
import { el, say } from "./ui.ts";

export function showAccount(session: Session | null): void {
  const area = document.getElementById("account");
  if (!area || !session) return;
  const who = session.handle ? `@${session.handle}` : session.did;
  const signOut = el("button", { type: "button" }, "Sign out");
  signOut.addEventListener("click", async () => {
    await session.signOut();
    location.reload();
  });
  const name = el("span", { class: "account-name", title: session.did }, who);
  const parts: Node[] = [name];
  if (!session.granular) {
    parts.push(
      el(
        "span",
        {
          class: "badge",
          title:
            "Your server does not support narrow permissions, so Atrarium was given general access to your account.",
        },
        "general access",
      ),
    );
  }
  area.replaceChildren(...parts, signOut);
  if (!session.granular && !sessionStorage.getItem("atrarium:told-general-access")) {
    sessionStorage.setItem("atrarium:told-general-access", "1");
    say(
      "Your server does not support narrow permissions, so Atrarium has general access to your account. It only writes the records you ask for.",
    );
  }
}
