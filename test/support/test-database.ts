import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { startEmbeddedDatabase } from '../../src/infra/embedded-database.js';

export interface TestDatabase {
  url: string;
  kind: 'pglite' | 'postgresql';
  /** Runs one query on a connection of its own (for reading back what the system wrote). */
  query<Row extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<Row[]>;
  drop(): Promise<void>;
}

/**
 * A database of this suite's own: PGlite served on loopback by default, or a fresh database on the
 * PostgreSQL server named by TEST_DATABASE_URL (as CI runs the database-facing suites a second time).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const name = `test_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
    await withClient(serverUrl, (client) => client.query(`create database ${name}`));
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      kind: 'postgresql',
      query: queryOn(url.toString()),
      drop: () => withClient(serverUrl, (client) => client.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
    };
  }
  const embedded = await startEmbeddedDatabase({ port: 0, maxConnections: 64 });
  return {
    url: embedded.url,
    kind: 'pglite',
    query: queryOn(embedded.url),
    drop: () => embedded.stop(),
  };
}

function queryOn(url: string): TestDatabase['query'] {
  return <Row extends pg.QueryResultRow>(sql: string, params?: unknown[]) =>
    withClient(url, async (client) => (await client.query<Row>(sql, params)).rows);
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
