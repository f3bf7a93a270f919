/** One step of a Durable Object's SQLite schema. Applied steps are never edited: add a new one. */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

/**
 * Brings a Durable Object's SQLite schema up to date. Steps run in version
 * order, each in its own transaction; the version reached is kept in `meta`,
 * so an object that restarts only runs what it has not run yet. Returns the
 * version the object started from (0 for a new object).
 */
export function migrate(storage: DurableObjectStorage, migrations: readonly Migration[]): number {
  const sql = storage.sql;
  sql.exec("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
  const row = sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'schema_version'").toArray()[0];
  const from = row ? Number(row.value) : 0;
  for (const step of [...migrations].sort((a, b) => a.version - b.version)) {
    if (step.version <= from) continue;
    storage.transactionSync(() => {
      sql.exec(step.sql);
      sql.exec(
        "INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        String(step.version),
      );
    });
  }
  return from;
}

type Param = SqlStorageValue | boolean | undefined;

/** Something that watches every statement (the query-plan test uses it). */
export type StatementObserver = (query: string, params: SqlStorageValue[]) => void;

/**
 * Every SQL statement of an object goes through here, written as a tagged
 * template: values become bound parameters, never text. `raw` splices a
 * trusted fragment (a column list, an optional clause).
 */
export class Sql {
  observer: StatementObserver | undefined;

  constructor(private readonly storage: SqlStorage) {}

  private exec(
    strings: TemplateStringsArray,
    values: unknown[],
  ): SqlStorageCursor<Record<string, SqlStorageValue>> {
    const { query, params } = values.some((v) => v instanceof Fragment)
      ? spliced(strings, values)
      : { query: plain(strings), params: values.map((v) => bind(v as Param)) };
    this.observer?.(query, params);
    try {
      return this.storage.exec(query, ...params);
    } catch (err) {
      throw new Error(
        `${err instanceof Error ? err.message : String(err)} in SQL: ${query.trim().slice(0, 200)}`,
      );
    }
  }

  /** The rows of a query, typed by the caller (the query's column list is the contract). */
  all<T extends object>(strings: TemplateStringsArray, ...values: unknown[]): T[] {
    return this.exec(strings, values).toArray() as unknown as T[];
  }

  first<T extends object>(strings: TemplateStringsArray, ...values: unknown[]): T | undefined {
    return this.all<T>(strings, ...values)[0];
  }

  /** Runs a write; returns the number of rows written. */
  run(strings: TemplateStringsArray, ...values: unknown[]): number {
    return this.exec(strings, values).rowsWritten;
  }
}

// A call site's template strings are one object for the life of the isolate:
// its query text is built once.
const plainQueries = new WeakMap<TemplateStringsArray, string>();

function plain(strings: TemplateStringsArray): string {
  let query = plainQueries.get(strings);
  if (query === undefined) {
    query = strings.join("?");
    plainQueries.set(strings, query);
  }
  return query;
}

function spliced(
  strings: TemplateStringsArray,
  values: unknown[],
): { query: string; params: SqlStorageValue[] } {
  let query = strings[0] as string;
  const params: SqlStorageValue[] = [];
  values.forEach((value, i) => {
    if (value instanceof Fragment) query += value.text;
    else {
      query += "?";
      params.push(bind(value as Param));
    }
    query += strings[i + 1] as string;
  });
  return { query, params };
}

export class Fragment {
  constructor(readonly text: string) {}
}

/** A trusted SQL fragment, spliced as text (never user input). */
export const raw = (text: string) => new Fragment(text);

function bind(value: Param): SqlStorageValue {
  if (value === undefined) return null;
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}
