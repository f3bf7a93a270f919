// The records the web app writes, checked before anything is sent: the rules
// as typed (trimmed, empty ones left out, at most 10, each up to 300
// characters) and a moderation action's end (a block only, still to come).
import { describe, expect, it } from "vitest";
import { Problem } from "../../src/web/browser/errors.ts";
import { actionRecord, rulesOf } from "../../src/web/browser/records.ts";

const COMMUNITY = "at://did:plc:owner/com.atrarium.community.config/3kabc";

describe("the rules as the owner types them", () => {
  it("are trimmed and keep their order; an emptied field removes its rule", () => {
    expect(rulesOf(["  Be kind ", "", "   ", "No spoilers"])).toEqual(["Be kind", "No spoilers"]);
    expect(rulesOf(["", ""])).toEqual([]);
  });

  it("are refused, naming the rule, past 300 characters (graphemes: an accented letter counts once)", () => {
    expect(rulesOf(["e\u0301".repeat(300)])).toHaveLength(1);
    expect(() => rulesOf(["ok", "x".repeat(301)])).toThrowError(
      new Problem("invalid", "Rule 2 is too long: at most 300 characters."),
    );
  });

  it("are refused past ten", () => {
    expect(rulesOf(Array.from({ length: 10 }, (_, i) => `rule ${i}`))).toHaveLength(10);
    expect(() => rulesOf(Array.from({ length: 11 }, (_, i) => `rule ${i}`))).toThrowError(/at most 10 rules/);
  });
});

describe("a moderation action's end", () => {
  it("goes on a block that ends later", () => {
    const end = new Date(Date.now() + 86_400_000);
    const record = actionRecord(COMMUNITY, "block_user", { did: "did:plc:x" }, { expiresAt: end });
    expect(record).toMatchObject({
      action: "block_user",
      target: { $type: "com.atrarium.moderation.action#userTarget", did: "did:plc:x" },
      expiresAt: end.toISOString(),
    });
  });

  it("is refused in the past, and on anything but a block", () => {
    expect(() =>
      actionRecord(COMMUNITY, "block_user", { did: "did:plc:x" }, { expiresAt: new Date(Date.now() - 1) }),
    ).toThrowError(/time still to come/);
    expect(() =>
      actionRecord(
        COMMUNITY,
        "approve_member",
        { did: "did:plc:x" },
        { expiresAt: new Date(Date.now() + 60_000) },
      ),
    ).toThrowError(/time still to come/);
  });
});
