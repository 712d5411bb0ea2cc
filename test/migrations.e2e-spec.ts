import { DataSource } from 'typeorm';
import { dataSourceOptions } from 'src/database/data-source-options';
import { runMigrations } from 'src/database/migrate';
import { adminQuery, serverUrl } from './support/databases';

describe('Migrations', () => {
  const database = `fpm_test_migrations_${process.pid}`;
  let dataSource: DataSource;

  beforeAll(async () => {
    await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  });

  it('creates the database, applies every migration to it, and leaves nothing for generate to find', async () => {
    const applied = await runMigrations(serverUrl(database));
    expect(applied.length).toBeGreaterThan(0);
    dataSource = await new DataSource(dataSourceOptions(serverUrl(database))).initialize();
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
    expect(await runMigrations(serverUrl(database))).toEqual([]);
  });

  it('keeps the audit log append-only in the database itself', async () => {
    await dataSource.query(`INSERT INTO audit_events (action) VALUES ('test.event')`);
    await expect(dataSource.query(`UPDATE audit_events SET action = 'changed'`)).rejects.toThrow(
      /append-only/,
    );
    await expect(dataSource.query(`DELETE FROM audit_events`)).rejects.toThrow(/append-only/);
  });

  it('reverts every migration cleanly', async () => {
    const migrations = dataSource.migrations.length;
    for (let i = 0; i < migrations; i++) await dataSource.undoLastMigration();
    const tables: Array<{ table_name: string }> = await dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations'`,
    );
    expect(tables).toEqual([]);
  });
});
