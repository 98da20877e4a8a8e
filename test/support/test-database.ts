import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { testDatabaseServerVariable } from './global-setup.js';

export interface TestDatabase {
  url: string;
  /** Runs one query on a connection of its own (for reading back what the system wrote). */
  query<Row extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<Row[]>;
  drop(): Promise<void>;
}

/**
 * A fresh database of this suite's own, on the run's PostgreSQL server: the embedded PostgreSQL
 * that the global set-up starts, or the server named by TEST_DATABASE_URL (as CI runs the
 * database-facing suites a second time on the oldest PostgreSQL the project supports).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL ?? process.env[testDatabaseServerVariable];
  if (!serverUrl) throw new Error('No test PostgreSQL server: run the suite through jest (its global set-up starts one) or set TEST_DATABASE_URL');
  const name = `test_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
  await withClient(serverUrl, (client) => client.query(`create database ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    query: queryOn(url.toString()),
    drop: () => withClient(serverUrl, (client) => client.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
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
