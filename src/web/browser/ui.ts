// Small DOM helpers shared by the pages: messages, busy buttons, local times,
// and re-reading parts of the server-rendered page after a change.
import { signInPath } from "../shared/links.ts";
import { Problem } from "./errors.ts";

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

let toastTimer: ReturnType<typeof setTimeout> | undefined;

/** A message at the bottom of the screen (it covers nothing and moves nothing). */
export function say(
  message: string,
  kind: "ok" | "error" = "ok",
  link?: { href: string; label: string },
): void {
  const toast = document.getElementById("toast");
  if (!toast) return;
  clearTimeout(toastTimer);
  toast.setAttribute("aria-live", kind === "error" ? "assertive" : "polite");
  toast.className = `toast visible ${kind}`;
  const close = el("button", { type: "button", class: "toast-close", "aria-label": "Dismiss" }, "×");
  close.addEventListener("click", () => toast.classList.remove("visible"));
  toast.replaceChildren(
    el("span", {}, message),
    ...(link ? [" ", el("a", { href: link.href }, link.label)] : []),
    close,
  );
  // Errors stay until dismissed; good news goes by itself.
  if (kind === "ok") toastTimer = setTimeout(() => toast.classList.remove("visible"), 8_000);
}

const FLASH = "atrarium:flash";

/** A message for the next page this tab opens (the page is about to change). */
export function flash(message: string): void {
  sessionStorage.setItem(FLASH, message);
}

/** Shows the message the previous page left, once. */
export function showFlash(): void {
  const message = sessionStorage.getItem(FLASH);
  if (!message) return;
  sessionStorage.removeItem(FLASH);
  say(message);
}

/** Shows a failure with what to do about it (a sign-in link when the session is over). */
export function sayProblem(err: unknown, doing: string): void {
  const problem =
    err instanceof Problem ? err : new Problem("server", `Something went wrong while ${doing}.`);
  if (!(err instanceof Problem)) console.error(err);
  const signIn = { href: signInPath(location.pathname), label: "Sign in" };
  say(problem.message, "error", problem.kind === "session" ? signIn : undefined);
}

/** Disables a control and shows `label` while `work` runs. */
export async function whileBusy<T>(
  button: HTMLButtonElement,
  label: string,
  work: () => Promise<T>,
): Promise<T> {
  const text = button.textContent;
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  button.textContent = label;
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
    button.textContent = text;
  }
}

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** Server-rendered times (UTC) in the reader's own time zone. */
export function localizeTimes(root: ParentNode = document): void {
  for (const time of root.querySelectorAll<HTMLTimeElement>("time[datetime]")) {
    const date = new Date(time.dateTime);
    if (!Number.isNaN(date.getTime())) time.textContent = timeFormat.format(date);
  }
}

/** Re-reads this page from the server and swaps in the elements with these ids. */
export async function refreshFromServer(ids: string[]): Promise<void> {
  const res = await fetch(location.href, { cache: "no-store", headers: { accept: "text/html" } });
  if (!res.ok) return;
  const fresh = new DOMParser().parseFromString(await res.text(), "text/html");
  for (const id of ids) {
    const next = fresh.getElementById(id);
    const current = document.getElementById(id);
    if (next && current) current.replaceWith(document.importNode(next, true));
  }
  localizeTimes();
}
