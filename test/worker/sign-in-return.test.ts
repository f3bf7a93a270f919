// Where sign-in returns to: only a page of the app's own origin, on the
// server (the sign-in form's `next`) and in the browser (the OAuth callback),
// which share one rule (src/web/shared/return-path.ts).
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { sameOriginPath } from "../../src/web/shared/return-path.ts";

const ORIGIN = "https://feeds.test";

/** Ways to write another origin that a prefix check takes for a local path. */
const ELSEWHERE = [
  "//evil.example",
  "/\\evil.example",
  "\\\\evil.example",
  "/\\/evil.example",
  "/\t/evil.example",
  "/\n/evil.example",
  " //evil.example",
  "/.//evil.example",
  "https://evil.example/c/atr_1a2b3c4d",
  "http://feeds.test/c/atr_1a2b3c4d",
  "javascript:alert(1)",
  "",
];

/** Local paths, and what they come back as. */
const HERE: [string, string][] = [
  ["/", "/"],
  ["/c/atr_1a2b3c4d", "/c/atr_1a2b3c4d"],
  ["/c/atr_1a2b3c4d/manage?x=1#top", "/c/atr_1a2b3c4d/manage?x=1#top"],
  ["/%5C%5Cevil.example", "/%5C%5Cevil.example"],
  [`${ORIGIN}/c/atr_1a2b3c4d`, "/c/atr_1a2b3c4d"],
];

describe("the return address after sign-in", () => {
  it("is a path of the app's own origin, or home", () => {
    for (const next of ELSEWHERE) expect(sameOriginPath(next, ORIGIN), JSON.stringify(next)).toBe("/");
    for (const [next, path] of HERE) expect(sameOriginPath(next, ORIGIN), next).toBe(path);
    expect(sameOriginPath(["/c/a", "/c/b"], ORIGIN)).toBe("/");
    expect(sameOriginPath(undefined, ORIGIN)).toBe("/");
  });

  it("is what the sign-in page puts in its form, however `next` was written in the query", async () => {
    const formNext = async (query: string) => {
      const html = await (await SELF.fetch(`${ORIGIN}/signin?${query}`)).text();
      return /<input type="hidden" name="next" value="([^"]*)">/.exec(html)?.[1];
    };
    for (const next of ELSEWHERE)
      expect(await formNext(new URLSearchParams({ next }).toString()), JSON.stringify(next)).toBe("/");
    // Decoded by the query parser before the rule sees it: /\\evil.example.
    expect(await formNext("next=/%5C%5Cevil.example")).toBe("/");
    expect(await formNext("next=/c/atr_1a2b3c4d")).toBe("/c/atr_1a2b3c4d");
  });
});
