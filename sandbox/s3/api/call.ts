// What every S3 operation function receives, and the small response builders they share.
import type { SandboxRequest, SandboxResponse } from '../../http/request';
import type { Identities } from '../../iam/identities';
import type { Principal } from '../../iam/principal';
import type { S3World } from '../world';
import { document } from '../xml';

export interface S3Call {
  readonly req: SandboxRequest;
  readonly world: S3World;
  readonly accountId: string;
  readonly region: string;
  /** Who the request's credentials stand for. */
  readonly caller: Principal;
  /** For what S3 asks KMS and IAM on the caller's behalf. */
  readonly identities: Identities;
  readonly bucket: string;
  /** Present for object operations. */
  readonly key: string;
}

export type S3Operation = (call: S3Call) => SandboxResponse;

export function xmlResponse(root: string, children: string[], headers: Record<string, string> = {}, status = 200): SandboxResponse {
  return { status, headers: { 'content-type': 'application/xml', ...headers }, body: document(root, ...children) };
}

export function emptyResponse(status: number, headers: Record<string, string> = {}): SandboxResponse {
  return { status, headers };
}

/** The optional `versionId` query parameter; S3 treats an empty one as absent. */
export function versionIdParam(call: S3Call): string | undefined {
  const value = call.req.query.get('versionId');
  return value === null || value === '' ? undefined : value;
}
