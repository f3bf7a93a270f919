/**
 * Brings a Durable Object's SQLite schema up to date. Each entry of
 * `migrations` moves the schema one version up; the version reached is kept
 * in `meta`, so an object that restarts only runs what it has not run yet.
 */
export function migrate(storage: DurableObjectStorage, migrations: readonly string[]): void {
  const sql = storage.sql;
  sql.exec("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
  const row = sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'schema_version'").toArray()[0];
  for (let version = row ? Number(row.value) : 0; version < migrations.length; version++) {
    storage.transactionSync(() => {
      sql.exec(migrations[version] as string);
      sql.exec(
        "INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        String(version + 1),
      );
    });
  }
}
