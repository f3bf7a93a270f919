// The app's entry point on every page: local times, the signed-in account (if
// this browser holds one), then the page's own module. Pages work without any
// of this; it only adds what needs a signed-in person.
import { signInPath } from "../shared/links.ts";
import { showAccount } from "./account.ts";
import { readConfig } from "./config.ts";
import { startCommunityPage } from "./pages/community.ts";
import { orderHomeForViewer, startHomePage } from "./pages/home.ts";
import { startManagePage } from "./pages/manage.ts";
import { startCallbackPage, startSignInPage } from "./pages/signin.ts";
import { startStartPage } from "./pages/start.ts";
import { restoreSession } from "./session.ts";
import { localizeTimes, say, showFlash } from "./ui.ts";

async function main(): Promise<void> {
  localizeTimes();
  showFlash();
  const config = readConfig();
  const page = document.body.dataset.page;
  if (page === "start") startStartPage();
  if (page === "signin") return startSignInPage(config);
  if (page === "callback") return startCallbackPage(config);
  void orderHomeForViewer(page);
  const { session, problem } = await restoreSession(config);
  if (problem) say(problem.message, "error", { href: signInPath(location.pathname), label: "Sign in" });
  showAccount(session);
  if (page === "home") return startHomePage(config, session);
  if (page === "community") return startCommunityPage(config, session);
  if (page === "manage") return startManagePage(config, session);
}

void main().catch((err: unknown) => {
  console.error(err);
  say("Something went wrong on this page. Reload to try again.", "error");
});
