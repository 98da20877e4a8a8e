import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type AppConfig } from '../../../config/app-config.js';
import { type AppLogger } from '../logging/app-logger.js';
import { collectProcessMetrics, registry } from './metrics.js';

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the process's metrics at `GET /metrics` on a port of its own, apart from the API's: a
 * force's Prometheus scrapes it on its own network, and the public API never carries it.
 * `more` adds text that other exporters in the process make (the Temporal SDK's, on the worker).
 */
export async function startMetricsServer(options: { host: string; port: number; more?: () => Promise<string> }): Promise<MetricsServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (request.method !== 'GET' || path !== '/metrics') {
      response.writeHead(request.method !== 'GET' && path === '/metrics' ? 405 : 404, { 'content-type': 'text/plain' }).end('Only GET /metrics is served here\n');
      return;
    }
    void (async () => {
      try {
        const [own, more] = await Promise.all([registry.metrics(), options.more?.().catch(() => '') ?? Promise.resolve('')]);
        response.writeHead(200, { 'content-type': registry.contentType }).end(more ? `${own}\n${more}` : own);
      } catch (error) {
        response.writeHead(500, { 'content-type': 'text/plain' }).end(`Metrics could not be read: ${(error as Error).message}\n`);
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The process's metrics endpoint, when its port is not 0. A port that cannot be taken is logged
 * and the process goes on: contacts matter more than their figures.
 */
export async function serveMetrics(config: AppConfig, logger: AppLogger, port: number, more?: () => Promise<string>): Promise<MetricsServer | undefined> {
  if (port === 0) return undefined;
  collectProcessMetrics();
  try {
    const server = await startMetricsServer({ host: config.telemetry.metricsHost, port, more });
    logger.log({ msg: 'metrics served', url: server.url }, 'Main');
    return server;
  } catch (error) {
    logger.error({ msg: 'the metrics endpoint could not start', port, error: (error as Error).message }, 'Main');
    return undefined;
  }
}
