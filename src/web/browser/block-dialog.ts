// Asks a moderator for how long to block someone, in the dialog the server
// renders on the community and manage pages (server/pages/block-dialog.ts):
// 1 day, 1 week, until a chosen time, or until someone unblocks them. The
// answer is the block's end (expiresAt), or none.
import { el } from "./ui.ts";

const DAY_MS = 86_400_000;

/** What the moderator chose: block, with an end or without; null when they cancelled. */
export type BlockChoice = { expiresAt?: Date } | null;

/** The end a choice names, or a sentence that says what is wrong with it. */
function endOf(form: HTMLFormElement, now: number): { expiresAt?: Date } | string {
  const data = new FormData(form);
  switch (data.get("block-for")) {
    case "day":
      return { expiresAt: new Date(now + DAY_MS) };
    case "week":
      return { expiresAt: new Date(now + 7 * DAY_MS) };
    case "forever":
      return {};
    case "custom": {
      const typed = String(data.get("until") ?? "");
      // datetime-local is the reader's own time, without a zone: Date reads it as local time.
      const at = typed ? new Date(typed) : null;
      if (!at || Number.isNaN(at.getTime())) return "Choose the date and time the block ends.";
      if (at.getTime() <= now) return "Choose a time still to come.";
      return { expiresAt: at };
    }
    default:
      return "Choose for how long.";
  }
}

/** Opens the block dialog for `who` (a name to show); resolves with the choice once it closes. */
export function askBlock(who: string): Promise<BlockChoice> {
  const dialog = document.getElementById("block-dialog") as HTMLDialogElement | null;
  const form = dialog?.querySelector("form");
  if (!dialog || !form) return Promise.resolve(null);
  const problem = document.getElementById("block-dialog-problem");
  document.getElementById("block-dialog-who")?.replaceChildren(who);
  problem?.replaceChildren();
  form.reset();
  // Typing a time chooses "until a time you choose".
  const until = form.querySelector<HTMLInputElement>("#block-until");
  const custom = form.querySelector<HTMLInputElement>('input[name="block-for"][value="custom"]');
  if (until && custom) until.oninput = () => (custom.checked = true);
  return new Promise((resolve) => {
    let choice: BlockChoice = null;
    const onSubmit = (event: SubmitEvent) => {
      const submitter = event.submitter as HTMLButtonElement | null;
      if (submitter?.value !== "block") return;
      const end = endOf(form, Date.now());
      if (typeof end === "string") {
        // Stay open and say what to fix.
        event.preventDefault();
        problem?.replaceChildren(el("span", {}, end));
        return;
      }
      choice = end;
    };
    form.addEventListener("submit", onSubmit);
    dialog.addEventListener(
      "close",
      () => {
        form.removeEventListener("submit", onSubmit);
        resolve(choice);
      },
      { once: true },
    );
    dialog.showModal();
  });
}
