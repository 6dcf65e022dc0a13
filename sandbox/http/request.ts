// The request and response shapes every service handler sees: the raw HTTP request reduced to
// what AWS protocols need, with the body read and the SigV4 scope parsed.
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { CredentialScope } from './sigv4';

export interface SandboxRequest {
  readonly method: string;
  /** The path exactly as sent, still percent-encoded (S3 keys must be decoded once, by S3). */
  readonly rawPath: string;
  readonly query: URLSearchParams;
  /** Lower-case header names, as node gives them. */
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly scope?: CredentialScope;
  /** X-Amz-Target for JSON protocols, e.g. `TrentService.CreateKey`. */
  readonly target?: string;
}

export interface SandboxResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string | number>>;
  /** A buffer, a string, or a stream for large generated object bodies. */
  readonly body?: Buffer | string | Readable;
}

/** Reads one header as a single string (node joins repeated headers for most names). */
export function header(req: SandboxRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(',') : value;
}
