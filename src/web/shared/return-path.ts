// Where sign-in returns to, decided by one rule on both sides: the server
// puts it in the sign-in form, the browser follows it after the OAuth
// callback. `next` is resolved against the app's origin exactly as a browser
// resolves a link, so every spelling of another origin (`//host`, `/\host`,
// a tab or newline inside `//`) counts as what it means; only a page of the
// same origin is returned to, as a path, and anything else goes home.

/** The path on `origin` that `next` names, or "/" when it names anything else. */
export function sameOriginPath(next: unknown, origin: string): string {
  if (typeof next !== "string" || next.trim() === "") return "/";
  let url: URL;
  try {
    url = new URL(next, origin);
  } catch {
    return "/";
  }
  if (url.origin !== origin) return "/";
  const path = `${url.pathname}${url.search}${url.hash}`;
  // A path that would itself read as another origin (`//host` left by dot segments) is refused too.
  return new URL(path, origin).origin === origin ? path : "/";
}
