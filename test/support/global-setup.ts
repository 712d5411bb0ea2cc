// Global setup runs outside Jest's resolver, so `src/...` imports need the tsconfig paths registered.
import 'tsconfig-paths/register';
import { randomBytes } from 'node:crypto';
import { runMigrations } from 'src/database/migrate';
import { adminQuery, serverUrl, TEMPLATE_ENV } from './databases';

/** Migrates one template database per run; each test file clones it (CREATE DATABASE ... TEMPLATE), which is fast. */
export default async function globalSetup(): Promise<void> {
  const template = `fpm_test_${randomBytes(4).toString('hex')}_template`;
  await adminQuery(`CREATE DATABASE ${template}`);
  await runMigrations(serverUrl(template));
  process.env[TEMPLATE_ENV] = template;
}
