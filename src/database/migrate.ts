import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { runMain } from 'src/common/run-main';
import { loadConfig } from 'src/config/app-config';
import { dataSourceOptions } from 'src/database/data-source-options';

/** Applies pending migrations; each in its own transaction. */
export async function runMigrations(databaseUrl = loadConfig().DATABASE_URL): Promise<string[]> {
  const dataSource = await new DataSource(dataSourceOptions(databaseUrl)).initialize();
  try {
    const applied = await dataSource.runMigrations();
    return applied.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}

if (require.main === module) {
  runMain(async () => {
    const applied = await runMigrations();
    process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'No pending migrations.\n');
  });
}
