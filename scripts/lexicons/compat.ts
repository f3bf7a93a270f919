// The breaking-change guard. A published lexicon is a promise to every record
// already written under it: the lexicon evolution rules allow new optional
// fields and wider constraints, never a new required field, a removed field or
// a narrower constraint. breakingChanges compares the published document with
// the new one and names each field that would break; an empty list means the
// new document may replace the old.
//
// Covered: every def that describes data (records, objects, tokens and the
// types inside them). XRPC methods and permission sets describe calls and
// consent, not stored records, and are left to their own tests.

type Schema = Record<string, unknown>;

/** A lexicon document as JSON (lexicons/…/x.json or a com.atproto.lexicon.schema record). */
export interface LexiconJson {
  lexicon: number;
  id: string;
  defs: Record<string, Schema>;
  [k: string]: unknown;
}

const NOT_DATA = new Set(["query", "procedure", "subscription", "permission-set"]);

const asSchema = (v: unknown): Schema => (v && typeof v === "object" ? (v as Schema) : {});
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s) => typeof s === "string") : []);
const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);

/** Where a problem is: `field "feedMix.own"`, or the def itself. */
const at = (path: string) => (path ? `field "${path}"` : "the definition");
const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

function upperBound(name: string, path: string, old: Schema, next: Schema, out: string[]): void {
  const before = num(old[name]);
  const after = num(next[name]);
  if (after !== undefined && (before === undefined || after < before)) {
    out.push(`${at(path)}: ${name} narrowed from ${before ?? "none"} to ${after}`);
  }
}

function lowerBound(name: string, path: string, old: Schema, next: Schema, out: string[]): void {
  const before = num(old[name]);
  const after = num(next[name]);
  if (after !== undefined && after > (before ?? Number.NEGATIVE_INFINITY)) {
    out.push(`${at(path)}: ${name} narrowed from ${before ?? "none"} to ${after}`);
  }
}

function fixedValues(path: string, old: Schema, next: Schema, out: string[]): void {
  if (Array.isArray(next.enum)) {
    const allowed = new Set(next.enum);
    const lost = Array.isArray(old.enum) ? old.enum.filter((v) => !allowed.has(v)) : ["any other value"];
    if (lost.length > 0) out.push(`${at(path)}: enum no longer allows ${lost.map(String).join(", ")}`);
  }
  if (next.const !== undefined && next.const !== old.const) {
    out.push(`${at(path)}: const ${JSON.stringify(next.const)} where any value was allowed`);
  }
}

function compareObject(path: string, old: Schema, next: Schema, out: string[]): void {
  const oldProps = asSchema(old.properties);
  const newProps = asSchema(next.properties);
  const oldRequired = new Set(strings(old.required));
  const newNullable = new Set(strings(next.nullable));
  for (const [key, schema] of Object.entries(oldProps)) {
    if (!(key in newProps)) out.push(`${at(join(path, key))}: removed`);
    else compareSchema(join(path, key), asSchema(schema), asSchema(newProps[key]), out);
  }
  for (const key of strings(next.required)) {
    if (oldRequired.has(key)) continue;
    out.push(
      key in oldProps ? `${at(join(path, key))}: now required` : `${at(join(path, key))}: new and required`,
    );
  }
  for (const key of strings(old.nullable)) {
    if (key in newProps && !newNullable.has(key)) out.push(`${at(join(path, key))}: no longer nullable`);
  }
}

function compareSchema(path: string, old: Schema, next: Schema, out: string[]): void {
  if (old.type !== next.type) {
    out.push(`${at(path)}: type changed from ${String(old.type)} to ${String(next.type)}`);
    return;
  }
  switch (next.type) {
    case "record":
      if (old.key !== next.key) out.push(`${at(path)}: record key changed from ${old.key} to ${next.key}`);
      compareObject(path, asSchema(old.record), asSchema(next.record), out);
      return;
    case "object":
    case "params":
      compareObject(path, old, next, out);
      return;
    case "string":
      for (const bound of ["maxLength", "maxGraphemes"]) upperBound(bound, path, old, next, out);
      for (const bound of ["minLength", "minGraphemes"]) lowerBound(bound, path, old, next, out);
      if (next.format !== undefined && next.format !== old.format) {
        out.push(
          `${at(path)}: format ${String(next.format)} where ${old.format ?? "any string"} was allowed`,
        );
      }
      fixedValues(path, old, next, out);
      return;
    case "integer":
      upperBound("maximum", path, old, next, out);
      lowerBound("minimum", path, old, next, out);
      fixedValues(path, old, next, out);
      return;
    case "boolean":
      fixedValues(path, old, next, out);
      return;
    case "bytes":
      upperBound("maxLength", path, old, next, out);
      lowerBound("minLength", path, old, next, out);
      return;
    case "blob": {
      upperBound("maxSize", path, old, next, out);
      const accepted = new Set(strings(next.accept));
      const lost = Array.isArray(next.accept) ? strings(old.accept).filter((m) => !accepted.has(m)) : [];
      if (Array.isArray(next.accept) && !Array.isArray(old.accept)) lost.push("any other type");
      if (lost.length > 0 && !accepted.has("*/*"))
        out.push(`${at(path)}: no longer accepts ${lost.join(", ")}`);
      return;
    }
    case "array":
      upperBound("maxLength", path, old, next, out);
      lowerBound("minLength", path, old, next, out);
      compareSchema(`${path}[]`, asSchema(old.items), asSchema(next.items), out);
      return;
    case "ref":
      if (old.ref !== next.ref) out.push(`${at(path)}: now refers to ${next.ref} instead of ${old.ref}`);
      return;
    case "union": {
      const refs = new Set(strings(next.refs));
      const lost = strings(old.refs).filter((r) => !refs.has(r));
      if (lost.length > 0) out.push(`${at(path)}: union no longer includes ${lost.join(", ")}`);
      if (next.closed === true && old.closed !== true) out.push(`${at(path)}: union closed`);
      return;
    }
    default:
      return; // token, cid-link, unknown: nothing to narrow
  }
}

/**
 * Why `next` would break records written under `published`, one line per
 * problem, each naming the lexicon, the def and the field.
 */
export function breakingChanges(published: LexiconJson, next: LexiconJson): string[] {
  const problems: string[] = [];
  for (const [name, old] of Object.entries(published.defs ?? {})) {
    if (NOT_DATA.has(String(old.type))) continue;
    const where = `${published.id}#${name}`;
    const replacement = next.defs?.[name];
    if (!replacement) {
      problems.push(`${where}: the definition was removed`);
      continue;
    }
    const found: string[] = [];
    compareSchema("", old, replacement, found);
    problems.push(...found.map((p) => `${where}: ${p}`));
  }
  return problems;
}
