// The pure parts of lexicon publishing: the breaking-change guard, rule by
// rule, and the permission-set namespace check, held against the PDS's own
// scope library (@atproto/oauth-scopes) as the oracle.
import { fileURLToPath } from "node:url";
import { IncludeScope, RepoPermission, RpcPermission } from "@atproto/oauth-scopes";
import { describe, expect, it } from "vitest";
import { breakingChanges, type LexiconJson } from "../../scripts/lexicons/compat.ts";
import { loadOwnLexicons, txtRecords, ungrantable } from "../../scripts/lexicons/documents.ts";

type Schema = Record<string, unknown>;

/** A record lexicon whose object has `properties` and `required`. */
const recordDoc = (properties: Record<string, Schema>, required: string[] = [], extra: Schema = {}) =>
  ({
    lexicon: 1,
    id: "com.example.thing",
    defs: {
      main: { type: "record", key: "tid", record: { type: "object", required, properties } },
      ...extra,
    },
  }) as LexiconJson;

const base = {
  name: { type: "string", maxLength: 200, maxGraphemes: 100 },
  stage: { type: "string", knownValues: ["a", "b"] },
  count: { type: "integer", minimum: 0, maximum: 100 },
  kind: { type: "string", enum: ["x", "y"] },
  tags: { type: "array", maxLength: 10, items: { type: "string", maxLength: 64 } },
  target: { type: "union", refs: ["#a", "#b"] },
  link: { type: "ref", ref: "#a" },
  when: { type: "string" },
};

describe("breakingChanges", () => {
  const old = recordDoc(base, ["name"]);
  const changed = (properties: Record<string, Schema>, required = ["name"], extra: Schema = {}) =>
    breakingChanges(old, recordDoc({ ...base, ...properties }, required, extra));

  it("allows what keeps old records valid: new optional fields, wider limits, new known values, new union members", () => {
    expect(breakingChanges(old, old)).toEqual([]);
    expect(changed({ rules: { type: "string", maxLength: 3000 } })).toEqual([]);
    expect(changed({ name: { type: "string", maxLength: 400 } })).toEqual([]);
    expect(changed({ count: { type: "integer", minimum: -5 } })).toEqual([]);
    expect(changed({ stage: { type: "string", knownValues: ["a"] } })).toEqual([]);
    expect(changed({ kind: { type: "string", enum: ["x", "y", "z"] } })).toEqual([]);
    expect(changed({ target: { type: "union", refs: ["#a", "#b", "#c"] } })).toEqual([]);
    expect(changed({}, ["name"], { extra: { type: "object", properties: {} } })).toEqual([]);
  });

  it("names a new required field, a field made required, and a removed field", () => {
    expect(changed({ rules: { type: "string" } }, ["name", "rules"])).toEqual([
      'com.example.thing#main: field "rules": new and required',
    ]);
    expect(changed({}, ["name", "when"])).toEqual(['com.example.thing#main: field "when": now required']);
    const { when: _, ...withoutWhen } = base;
    expect(breakingChanges(old, recordDoc(withoutWhen, ["name"]))).toEqual([
      'com.example.thing#main: field "when": removed',
    ]);
  });

  it("names every narrowed constraint", () => {
    expect(
      changed({
        name: { type: "string", maxLength: 100, maxGraphemes: 100, minLength: 1 },
        count: { type: "integer", minimum: 1, maximum: 100 },
        kind: { type: "string", enum: ["x"] },
        tags: { type: "array", maxLength: 5, items: { type: "string", maxLength: 32 } },
        target: { type: "union", refs: ["#a"], closed: true },
        when: { type: "string", format: "datetime" },
      }),
    ).toEqual([
      'com.example.thing#main: field "name": maxLength narrowed from 200 to 100',
      'com.example.thing#main: field "name": minLength narrowed from none to 1',
      'com.example.thing#main: field "count": minimum narrowed from 0 to 1',
      'com.example.thing#main: field "kind": enum no longer allows y',
      'com.example.thing#main: field "tags": maxLength narrowed from 10 to 5',
      'com.example.thing#main: field "tags[]": maxLength narrowed from 64 to 32',
      'com.example.thing#main: field "target": union no longer includes #b',
      'com.example.thing#main: field "target": union closed',
      'com.example.thing#main: field "when": format datetime where any string was allowed',
    ]);
  });

  it("names a changed type or reference, and a removed definition", () => {
    expect(changed({ count: { type: "string" }, link: { type: "ref", ref: "#b" } })).toEqual([
      'com.example.thing#main: field "count": type changed from integer to string',
      'com.example.thing#main: field "link": now refers to #b instead of #a',
    ]);
    const withDef = recordDoc(base, ["name"], { a: { type: "object", properties: {} } });
    expect(breakingChanges(withDef, old)).toEqual(["com.example.thing#a: the definition was removed"]);
  });

  it("looks into nested objects and refs in the same document", () => {
    const nested = (max: number) =>
      recordDoc({ mix: { type: "ref", ref: "#mix" } }, [], {
        mix: { type: "object", required: ["own"], properties: { own: { type: "integer", maximum: max } } },
      });
    expect(breakingChanges(nested(100), nested(50))).toEqual([
      'com.example.thing#mix: field "own": maximum narrowed from 100 to 50',
    ]);
  });

  it("leaves XRPC methods and permission sets to their own review", () => {
    const method = (required: string[]) =>
      ({
        lexicon: 1,
        id: "com.example.getThing",
        defs: { main: { type: "query", parameters: { type: "params", required, properties: {} } } },
      }) as LexiconJson;
    expect(breakingChanges(method([]), method(["x"]))).toEqual([]);
  });
});

describe("permission sets", () => {
  const ours = [
    ...loadOwnLexicons(fileURLToPath(new URL("../../lexicons", import.meta.url))).values(),
  ].filter((doc) => doc.defs.main?.type === "permission-set");

  it("ours are com.atrarium.authMember and com.atrarium.authManager, and each grants everything it lists", () => {
    expect(ours.map((d) => d.id).sort()).toEqual(["com.atrarium.authManager", "com.atrarium.authMember"]);
    for (const doc of ours) {
      expect(ungrantable(doc)).toEqual([]);
      const main = doc.defs.main as { permissions: { collection?: string[]; lxm?: string[] }[] };
      const listed = main.permissions.flatMap((p) => [...(p.collection ?? []), ...(p.lxm ?? [])]).sort();
      // The PDS's own expansion keeps every one of them.
      const include = IncludeScope.fromString(`include:${doc.id}?aud=did:web:feeds.example%23atrarium`);
      const granted = (include?.toPermissions(main as never) ?? []).flatMap((p) =>
        p instanceof RepoPermission ? [...p.collection] : p instanceof RpcPermission ? [...p.lxm] : [],
      );
      expect(granted.sort()).toEqual(listed);
    }
  });

  it("flags what the PDS would drop: NSIDs outside the set's group, other resources", () => {
    const set = {
      lexicon: 1,
      id: "com.atrarium.community.authX",
      defs: {
        main: {
          type: "permission-set",
          permissions: [
            {
              type: "permission",
              resource: "repo",
              collection: ["com.atrarium.community.membership", "app.bsky.feed.post"],
            },
            {
              type: "permission",
              resource: "rpc",
              lxm: ["com.atrarium.sync.requestIndex"],
              inheritAud: true,
            },
            { type: "permission", resource: "blob", accept: ["image/*"] },
          ],
        },
      },
    } as LexiconJson;
    expect(ungrantable(set)).toEqual([
      "app.bsky.feed.post",
      "com.atrarium.sync.requestIndex",
      "blob permissions",
    ]);
    const include = IncludeScope.fromString(`include:${set.id}?aud=did:web:feeds.example%23atrarium`);
    // The PDS drops a permission whole when one NSID in it is outside the group: nothing is left.
    expect(include?.toScopes(set.defs.main as never)).toEqual([]);
  });

  it("TXT records: one per authority, the NSID's domain part reversed", () => {
    expect(
      txtRecords(
        ["com.atrarium.community.config", "com.atrarium.community.membership", "com.atrarium.authMember"],
        "did:plc:x",
      ),
    ).toEqual([
      { name: "_lexicon.atrarium.com", value: "did=did:plc:x" },
      { name: "_lexicon.community.atrarium.com", value: "did=did:plc:x" },
    ]);
  });
});

// The documents as the last release published them (wave 2, before joining,
// pins and members-only feeds), each kept where it has changed since.
describe("this release against the last one", () => {
  const current = loadOwnLexicons(fileURLToPath(new URL("../../lexicons", import.meta.url)));
  const released = loadOwnLexicons(fileURLToPath(new URL("./fixtures/lexicons-wave2", import.meta.url)));

  it("keeps every record the last release could write valid: the new fields and values are optional or known values", () => {
    expect(released.size).toBe(8);
    for (const [nsid, before] of released) {
      const after = current.get(nsid);
      expect(after, nsid).toBeDefined();
      expect(breakingChanges(before, after as LexiconJson), nsid).toEqual([]);
    }
  });

  it("the guard sees the change: going back would remove the new fields", () => {
    const config = "com.atrarium.community.config";
    const back = breakingChanges(current.get(config) as LexiconJson, released.get(config) as LexiconJson);
    expect(back).toEqual(
      expect.arrayContaining([
        `${config}#main: field "joinPolicy": removed`,
        `${config}#main: field "feedVisibility": removed`,
        `${config}#main: field "rules": removed`,
      ]),
    );
    const action = "com.atrarium.moderation.action";
    expect(
      breakingChanges(current.get(action) as LexiconJson, released.get(action) as LexiconJson),
    ).toContain(`${action}#main: field "expiresAt": removed`);
  });
});
