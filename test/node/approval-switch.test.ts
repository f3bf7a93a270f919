// Whom a switch to joinPolicy "approval" approves first (src/records/approval-switch.ts),
// the rule the typed client and the web app share: every member the index lists,
// page after page, each once, except the owner and the moderators; no one when
// the community approves its members already.
import { describe, expect, it } from "vitest";
import { membersToApprove, switchesToApproval } from "../../src/records/approval-switch.ts";

const OWNER = "did:plc:owner";
const MOD = "did:plc:moderator";

/** The index's member list in pages of two, as getMembers answers it. */
function pagesOf(dids: string[]) {
  const asked: (string | undefined)[] = [];
  const pages = async (cursor: string | undefined) => {
    asked.push(cursor);
    const from = cursor ? Number(cursor) : 0;
    const members = dids.slice(from, from + 2).map((did) => ({ did }));
    return from + 2 < dids.length ? { members, cursor: String(from + 2) } : { members };
  };
  return { pages, asked };
}

describe("a switch to approval", () => {
  it("approves every listed member but the owner and the moderators, each once, across pages", async () => {
    const { pages, asked } = pagesOf([OWNER, "did:plc:a", MOD, "did:plc:b", "did:plc:a", "did:plc:c"]);
    const dids = await membersToApprove({ owner: OWNER, moderators: [MOD] }, pages);
    expect(dids).toEqual(["did:plc:a", "did:plc:b", "did:plc:c"]);
    expect(asked).toEqual([undefined, "2", "4"]);
  });

  it("approves no one when the community approves its members already, and asks the index nothing", async () => {
    const { pages, asked } = pagesOf(["did:plc:a"]);
    expect(await membersToApprove({ owner: OWNER, joinPolicy: "approval" }, pages)).toEqual([]);
    expect(asked).toEqual([]);
  });

  it("is a change from anything but approval to approval", () => {
    expect(switchesToApproval({}, { joinPolicy: "approval" })).toBe(true);
    expect(switchesToApproval({ joinPolicy: "open" }, { joinPolicy: "approval" })).toBe(true);
    expect(switchesToApproval({ joinPolicy: "approval" }, { joinPolicy: "approval" })).toBe(false);
    expect(switchesToApproval({ joinPolicy: "approval" }, { joinPolicy: "open" })).toBe(false);
    expect(switchesToApproval({}, {})).toBe(false);
  });
});
