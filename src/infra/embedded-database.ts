import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedDatabase {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * PostgreSQL-dialect database in this process (PGlite), served on loopback over the PostgreSQL
 * wire protocol so that the API and the worker connect to it as to any PostgreSQL server.
 * PGlite is one session; the socket server multiplexes connections and keeps each transaction
 * on the connection that opened it.
 */
export async function startEmbeddedDatabase(options: {
  /** Directory for the database files; in memory when absent. */
  dataDir?: string;
  host?: string;
  port: number;
  maxConnections: number;
}): Promise<EmbeddedDatabase> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir);
  const host = options.host ?? '127.0.0.1';
  const server = new PGLiteSocketServer({ db, host, port: options.port, maxConnections: options.maxConnections });
  await server.start();
  const port = options.port === 0 ? serverPort(server) : options.port;
  return {
    url: `postgres://postgres:postgres@${host}:${port}/postgres`,
    port,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

function serverPort(server: PGLiteSocketServer): number {
  // The socket server does not expose the bound port; read it from its node:net server.
  const inner = (server as unknown as { server?: { address(): { port: number } | string | null } }).server;
  const address = inner?.address();
  if (!address || typeof address === 'string') throw new Error('Embedded database server has no TCP address');
  return address.port;
}
