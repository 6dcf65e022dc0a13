// The one pagination-token scheme of every sandbox listing (Glue, Athena results, S3 Control jobs
// and access points): base64url of `{ scope, at }`, where `scope` names what the token continues
// (an operation, a query) and `at` is an offset or the last key of the previous page. A token is
// honoured only in its own scope; each service refuses the rest with its own error.

export type PagePosition = number | string;

interface TokenBody {
  readonly scope: string;
  readonly at: PagePosition;
}

export function encodePageToken(scope: string, at: PagePosition): string {
  const body: TokenBody = { scope, at };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

/** The offset a token of this scope continues from; undefined for anything else. */
export function decodeOffsetToken(token: string, scope: string): number | undefined {
  const at = decode(token, scope);
  return typeof at === 'number' && Number.isInteger(at) && at >= 0 ? at : undefined;
}

/** The last key of the previous page, for a token of this scope; undefined for anything else. */
export function decodeKeyToken(token: string, scope: string): string | undefined {
  const at = decode(token, scope);
  return typeof at === 'string' ? at : undefined;
}

/** `items[offset, offset + max)` and, while more remain, the token of the next page. */
export function pageFrom<T>(items: readonly T[], offset: number, max: number, scope: string): { readonly items: T[]; readonly nextToken?: string } {
  const end = offset + max;
  return { items: items.slice(offset, end), ...(end < items.length ? { nextToken: encodePageToken(scope, end) } : {}) };
}

function decode(token: string, scope: string): PagePosition | undefined {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const { scope: tokenScope, at } = body as Partial<Record<keyof TokenBody, unknown>>;
  return tokenScope === scope && (typeof at === 'number' || typeof at === 'string') ? at : undefined;
}
