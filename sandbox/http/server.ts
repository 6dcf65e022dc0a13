// The HTTP front door: one loopback listener for every service. It reads the request, asks the
// registry for the owning service, applies fault injection, and writes the handler's answer.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { ServiceError } from '../errors';
import type { FaultInjector } from '../faults';
import { decodeAwsChunked, isAwsChunked } from './aws-chunked';
import type { ServiceRegistry } from './registry';
import type { SandboxRequest, SandboxResponse } from './request';
import { parseCredentialScope } from './sigv4';

/** The only address the sandbox ever binds: it must never be reachable from another machine. */
export const LOOPBACK = '127.0.0.1';

export interface ListeningServer {
  readonly server: Server;
  readonly port: number;
  close(): Promise<void>;
}

export async function listen(registry: ServiceRegistry, faults: FaultInjector, port: number): Promise<ListeningServer> {
  const server = createServer((req, res) => {
    serve(registry, faults, req, res).catch((error: unknown) => {
      // A failure while writing the answer leaves nothing to tell the client but a closed socket.
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(error));
      } else {
        res.destroy();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const boundPort = (server.address() as AddressInfo).port;
  return {
    server,
    port: boundPort,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // SDK clients keep connections alive; without this, close waits for them to time out.
        server.closeAllConnections();
      }),
  };
}

async function serve(registry: ServiceRegistry, faults: FaultInjector, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const request = await readRequest(req);
  const handler = registry.route(request);
  if (!handler) {
    const service = request.scope?.service ?? request.target ?? 'unknown';
    write(res, request, {
      status: 400,
      headers: { 'content-type': 'application/xml' },
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>UnknownService</Code><Message>The sandbox has no handler for service '${service}' (registered: ${registry.names().join(', ')})</Message></Error>`,
    });
    return;
  }
  let operation: string;
  try {
    operation = handler.operationName(request);
  } catch (error) {
    // A request too malformed to name its operation still gets the service's own error format.
    write(
      res,
      request,
      handler.renderError(error instanceof ServiceError ? error : new ServiceError('InvalidRequest', 400, String(error)), request),
    );
    return;
  }
  const fault = faults.decide(handler.name, operation);
  if (fault.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
  if (fault.kind === 'drop') {
    req.socket.destroy();
    return;
  }
  let response: SandboxResponse;
  if (fault.kind === 'throttle') {
    response = handler.renderError(handler.throttlingError(), request);
  } else if (fault.kind === 'error') {
    response = handler.renderError(new ServiceError('InternalError', 500, 'We encountered an internal error. Please try again.'), request);
  } else {
    try {
      response = await handler.handle(request);
    } catch (error) {
      const serviceError =
        error instanceof ServiceError ? error : new ServiceError('InternalError', 500, `sandbox failure in ${operation}: ${String(error)}`);
      response = handler.renderError(serviceError, request);
    }
  }
  write(res, request, response);
}

async function readRequest(req: IncomingMessage): Promise<SandboxRequest> {
  const parts: Buffer[] = [];
  for await (const chunk of req) parts.push(chunk as Buffer);
  let body: Buffer = Buffer.concat(parts);
  const sha = req.headers['x-amz-content-sha256'];
  if (isAwsChunked(Array.isArray(sha) ? sha[0] : sha, req.headers['content-encoding'])) body = decodeAwsChunked(body);
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  const target = req.headers['x-amz-target'];
  const scope =
    parseCredentialScope(req.headers.authorization) ??
    parseCredentialScope(query.get('X-Amz-Credential') ? `Credential=${query.get('X-Amz-Credential')}` : undefined);
  return {
    method: req.method ?? 'GET',
    rawPath,
    query,
    headers: req.headers,
    body,
    ...(scope ? { scope } : {}),
    ...(typeof target === 'string' ? { target } : {}),
  };
}

function write(res: ServerResponse, req: SandboxRequest, response: SandboxResponse): void {
  const requestId = randomBytes(8).toString('hex').toUpperCase();
  const headers: Record<string, string | number> = {
    'x-amz-request-id': requestId,
    'x-amz-id-2': requestId,
    date: new Date().toUTCString(),
    server: 'AmazonS3-sandbox',
    ...response.headers,
  };
  const body = response.body;
  if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) {
    const buffer = body === undefined ? Buffer.alloc(0) : typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    if (headers['content-length'] === undefined) headers['content-length'] = buffer.length;
    res.writeHead(response.status, headers);
    res.end(req.method === 'HEAD' ? undefined : buffer);
    return;
  }
  res.writeHead(response.status, headers);
  if (req.method === 'HEAD') {
    body.destroy();
    res.end();
    return;
  }
  body.on('error', () => res.destroy()).pipe(res);
}
