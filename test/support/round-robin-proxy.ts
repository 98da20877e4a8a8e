import { createServer, request as httpRequest, type Server } from 'node:http';
import { findFreePort } from '../../src/modules/platform/process/child-process.js';

/**
 * A load balancer in front of API replicas, as production has one: each request goes to the next
 * replica in turn, streamed both ways (the alerts stream included). A replica that refuses the
 * connection is skipped, as a balancer's health check would.
 */
export async function startRoundRobinProxy(upstreams: string[]): Promise<{ url: string; stop(): Promise<void>; counts: number[] }> {
  const port = await findFreePort();
  const counts = upstreams.map(() => 0);
  let next = 0;
  const server: Server = createServer((incoming, outgoing) => {
    // The body is read first (requests here are small), so that it can be sent again to the other
    // replica when the first refuses the connection.
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const forward = (attempt: number) => {
        const index = next++ % upstreams.length;
        const target = new URL(incoming.url ?? '/', upstreams[index]);
        // A connection of its own each time: a kept-alive socket to a replica that has died would fail late.
        const proxied = httpRequest(target, { method: incoming.method, headers: incoming.headers, agent: false }, (answer) => {
          counts[index] += 1;
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        });
        proxied.on('error', (error: NodeJS.ErrnoException) => {
          if (error.code === 'ECONNREFUSED' && attempt < upstreams.length && !outgoing.headersSent) return forward(attempt + 1);
          if (!outgoing.headersSent) outgoing.writeHead(502).end();
          else outgoing.destroy();
        });
        outgoing.on('close', () => proxied.destroy());
        proxied.end(body);
      };
      forward(1);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
