// A loopback HTTP proxy in front of an emulator (moto): forwards every request unchanged and counts
// it by operation (lib/request-operations.ts), so both sides of a comparison are counted alike.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { operationOf } from './request-operations';

export interface CountingProxy {
  /** `http://127.0.0.1:<port>`: point the clients here. */
  readonly endpoint: string;
  /** Requests per `service:Operation` since start or the last reset. */
  counts(): Record<string, number>;
  reset(): void;
  stop(): Promise<void>;
}

/** Form bodies (query-protocol services) are small; S3 bodies are streamed through untouched. */
const FORM = 'application/x-www-form-urlencoded';

export async function startCountingProxy(upstream: string): Promise<CountingProxy> {
  const target = new URL(upstream);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  let counts: Record<string, number> = {};
  const count = (operation: string) => (counts[operation] = (counts[operation] ?? 0) + 1);

  const server = http.createServer((request, response) => {
    const headers = { ...request.headers };
    // Node answered `100 Continue` already; the upstream gets the body straight away.
    delete headers.expect;
    const forward = (body?: Buffer) => {
      const upstreamRequest = http.request(
        { host: target.hostname, port: target.port, method: request.method, path: request.url, headers, agent },
        (upstreamResponse) => {
          response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
          upstreamResponse.pipe(response);
        },
      );
      upstreamRequest.on('error', (error) => {
        if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
        response.end(`counting proxy: upstream ${upstream} failed: ${error.message}`);
      });
      if (body) upstreamRequest.end(body);
      else request.pipe(upstreamRequest);
    };
    const wire = { method: request.method ?? 'GET', url: request.url ?? '/', headers: request.headers };
    if ((request.headers['content-type'] ?? '').startsWith(FORM)) {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks);
        count(operationOf({ ...wire, formBody: body.toString('utf8') }));
        forward(body);
      });
    } else {
      count(operationOf(wire));
      forward();
    }
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts: () => ({ ...counts }),
    reset: () => {
      counts = {};
    },
    stop: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
