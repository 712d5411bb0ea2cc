import { Client } from 'pg';

/** The server the tests create their databases on: TEST_DATABASE_SERVER_URL, or the local PostgreSQL. */
export function serverUrl(database = 'postgres'): string {
  const url = new URL(process.env.TEST_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/${database}`;
  return url.toString();
}

export async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export const TEMPLATE_ENV = 'FPM_TEST_TEMPLATE_DATABASE';
