// A copy does not keep an object's ACL (it becomes private): the ACL read from the source version is
// turned into what CopyObject / CreateMultipartUpload accept, a canned ACL or explicit grant headers.

export interface AclGrant {
  /** Canonical user id, for CanonicalUser grantees. */
  readonly id?: string;
  /** Group URI, for Group grantees. */
  readonly uri?: string;
  readonly permission: string;
}

const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
const AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';

/** What the copy request carries: a canned ACL, or grant headers by permission. */
export type AclSettings =
  | { readonly canned: 'private' | 'public-read' | 'public-read-write' | 'authenticated-read' }
  | { readonly grants: Readonly<Partial<Record<'FULL_CONTROL' | 'READ' | 'READ_ACP' | 'WRITE_ACP', string>>> };

function grantee(g: AclGrant): string {
  return g.uri ? `uri="${g.uri}"` : `id="${g.id ?? ''}"`;
}

/**
 * The owner's FULL_CONTROL is implied by every canned ACL; the common canned ACLs are recognised so
 * the copy request stays simple, anything else becomes explicit grants (WRITE is not grantable on
 * objects and is dropped, as S3 ignores it there).
 */
export function aclSettings(ownerId: string, grants: readonly AclGrant[]): AclSettings {
  const others = grants.filter((g) => !(g.id === ownerId && g.permission === 'FULL_CONTROL'));
  const is = (uri: string, permission: string) => (g: AclGrant) => g.uri === uri && g.permission === permission;
  if (others.length === 0) return { canned: 'private' };
  if (others.length === 1 && others.every(is(ALL_USERS, 'READ'))) return { canned: 'public-read' };
  if (others.length === 2 && others.some(is(ALL_USERS, 'READ')) && others.some(is(ALL_USERS, 'WRITE')))
    return { canned: 'public-read-write' };
  if (others.length === 1 && others.every(is(AUTHENTICATED_USERS, 'READ'))) return { canned: 'authenticated-read' };
  const byPermission: Partial<Record<'FULL_CONTROL' | 'READ' | 'READ_ACP' | 'WRITE_ACP', string[]>> = {};
  for (const g of grants) {
    if (g.permission === 'FULL_CONTROL' || g.permission === 'READ' || g.permission === 'READ_ACP' || g.permission === 'WRITE_ACP') {
      (byPermission[g.permission] ??= []).push(grantee(g));
    }
  }
  return { grants: Object.fromEntries(Object.entries(byPermission).map(([p, list]) => [p, list.join(', ')])) };
}
