import { describe, expect, it } from "vitest";
import { eventually } from "../../scripts/quickstart.ts";

// `npm start` walks the quickstart with `eventually`: a step whose claim never
// shows must fail (start.ts then exits 1 with the step's name), not go on.

describe("the quickstart's eventually", () => {
  it("returns the first value that passes the check", async () => {
    let n = 0;
    expect(
      await eventually(
        "n reaches 3",
        async () => ++n,
        (v) => v >= 3,
        5_000,
      ),
    ).toBe(3);
  });

  it("fails in time, saying what it waited for and what it last saw", async () => {
    const started = Date.now();
    await expect(
      eventually(
        "Bob's post in the feed",
        async () => ["at://other"],
        (f) => f.length > 1,
        500,
      ),
    ).rejects.toThrow(`Bob's post in the feed: not seen within 0.5 s (last seen: ["at://other"])`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
  });

  it("does not wait through a failing read", async () => {
    await expect(
      eventually(
        "the feed",
        async () => {
          throw new Error("getFeedSkeleton answered 500");
        },
        () => true,
      ),
    ).rejects.toThrow("getFeedSkeleton answered 500");
  });
});
