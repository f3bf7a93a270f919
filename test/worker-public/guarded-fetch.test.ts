import { afterEach, describe, expect, it } from "vitest";
import { resetCircuits } from "../../src/net/circuit.ts";
import { AddressRefusedError, guardedFetch, UnreachableError } from "../../src/net/guarded-fetch.ts";
import { hits } from "./helpers.ts";

// The Worker's one outbound fetch for hosts someone else named, against the
// scripted public internet (test/setup/public-network.ts).

const PUBLIC = { allowPrivate: false };
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (err: unknown) => err,
  );

afterEach(() => resetCircuits());

describe("guardedFetch", () => {
  it("judges a trusted origin's redirect hops, though not the origin itself", async () => {
    const err = await failure(
      guardedFetch("https://redirect-private.guard.test/x", undefined, {
        ...PUBLIC,
        trusted: ["https://redirect-private.guard.test"],
      }),
    );
    expect(err).toBeInstanceOf(AddressRefusedError);
    expect((err as Error).message).toMatch(/redirect-private\.guard\.test redirected: .*127\.0\.0\.1:9/);
    const refused = await failure(guardedFetch("http://127.0.0.1:9/", undefined, PUBLIC));
    expect(refused).toBeInstanceOf(AddressRefusedError);
    expect((await hits())["127.0.0.1:9"]).toBeUndefined();
  });

  it("follows public hops, and fails a redirect where the caller asked for none", async () => {
    const res = await guardedFetch(
      "https://redirect-hop.guard.test/xrpc/x?repo=did:plc:a",
      undefined,
      PUBLIC,
    );
    expect(res.status).toBe(200);
    const err = await failure(
      guardedFetch("https://redirect-hop.guard.test/", { redirect: "error" }, PUBLIC),
    );
    expect(err).toBeInstanceOf(UnreachableError);
    expect(err).toMatchObject({ retryable: false });
  });

  it("gives up at its deadline", async () => {
    const err = await failure(
      guardedFetch("https://slow.guard.test/", undefined, { ...PUBLIC, timeoutMs: 100 }),
    );
    expect(err).toBeInstanceOf(UnreachableError);
    expect((err as Error).message).toBe("slow.guard.test did not answer in time");
  });

  it("leaves a host alone after five failures in a row", async () => {
    const before = (await hits())["down.guard.test"] ?? 0;
    for (let i = 0; i < 5; i++) {
      const res = await guardedFetch("https://down.guard.test/", undefined, PUBLIC);
      expect(res.status).toBe(503);
      await res.body?.cancel();
    }
    const err = await failure(guardedFetch("https://down.guard.test/", undefined, PUBLIC));
    expect((err as Error).message).toBe("down.guard.test is not answering (retrying later)");
    expect(((await hits())["down.guard.test"] ?? 0) - before).toBe(5);
  });
});
