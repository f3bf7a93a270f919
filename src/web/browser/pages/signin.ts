// /signin and /oauth/callback: start the OAuth redirect, and finish it.
import { sameOriginPath } from "../../shared/return-path.ts";
import type { WebConfig } from "../config.ts";
import { finishSignIn, signIn } from "../session.ts";
import { sayProblem, whileBusy } from "../ui.ts";

export function startSignInPage(config: WebConfig): void {
  const form = document.getElementById("signin-form") as HTMLFormElement | null;
  if (!form) return;
  // The app signs in on its own origin (a loopback app on 127.0.0.1, not localhost).
  const appOrigin = new URL(config.clientMetadata.redirect_uris[0]).origin;
  if (location.origin !== appOrigin) {
    location.replace(`${appOrigin}${location.pathname}${location.search}`);
    return;
  }
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const typed = String(data.get("handle") ?? "")
      .trim()
      .replace(/^@/, "");
    // Handles are case-insensitive; DIDs are not.
    const handle = typed.startsWith("did:") ? typed : typed.toLowerCase();
    const next = sameOriginPath(data.get("next"), location.origin);
    const button = form.querySelector("button") as HTMLButtonElement;
    try {
      await whileBusy(button, "Opening your server…", () => signIn(config, handle, next));
    } catch (err) {
      sayProblem(err, "signing in");
    }
  });
  // Until now the form would go to the server (the page without JavaScript, which can only
  // say that signing in needs it): say that this script has it now.
  form.dataset.ready = "true";
}

export async function startCallbackPage(config: WebConfig): Promise<void> {
  const status = document.getElementById("callback-status");
  try {
    const { next } = await finishSignIn(config);
    location.replace(sameOriginPath(next, location.origin));
  } catch (err) {
    status?.removeAttribute("aria-busy");
    if (status) status.textContent = err instanceof Error ? err.message : String(err);
    sayProblem(err, "signing in");
  }
}
