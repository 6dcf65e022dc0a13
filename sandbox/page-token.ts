// The one pagination-token scheme of every sandbox listing (Glue, Athena results, S3 Control jobs
// and access points): base64url of `{ scope, at }`, where `scope` names what the token continues
// (an operation, a query) and `at` is an offset or the last key of the previous page. A token is
// honoured only in its own scope; each service refuses the rest with its own error.
import { z } from 'zod';

export type PagePosition = number | string;

const TOKEN_BODY = z.object({ scope: z.string(), at: z.union([z.number(), z.string()]) });
type TokenBody = z.infer<typeof TOKEN_BODY>;

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
export function pageFrom<T>(
  items: readonly T[],
  offset: number,
  max: number,
  scope: string,
): { readonly items: T[]; readonly nextToken?: string } {
  const end = offset + max;
  return { items: items.slice(offset, end), ...(end < items.length ? { nextToken: encodePageToken(scope, end) } : {}) };
}

function decode(token: string, scope: string): PagePosition | undefined {
  let text: unknown;
  try {
    text = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  // A token comes back from the caller: parsed, never trusted.
  const body = TOKEN_BODY.safeParse(text);
  return body.success && body.data.scope === scope ? body.data.at : undefined;
}
