// After "Create": the share link gets a Copy button (the server renders it
// hidden: without JavaScript, the link is selected and copied by hand).
import { say } from "../ui.ts";

export function startStartPage(): void {
  const input = document.getElementById("share-link") as HTMLInputElement | null;
  const copy = document.getElementById("copy-link") as HTMLButtonElement | null;
  if (!input || !copy) return;
  copy.hidden = false;
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(input.value);
      say("Link copied. Paste it into a post or a message.");
    } catch {
      // No clipboard (an insecure origin, or refused): leave the link selected to copy by hand.
      input.select();
      say("Copy the selected link with Ctrl+C (⌘C on a Mac).");
    }
  });
}
