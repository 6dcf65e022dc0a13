// Who reads and writes a bucket's objects, as its bucket policy and its access points' policies say, and what each of them needs from the key once the objects are SSE-KMS.
import { logDeliveryOf } from './log-delivery';
import {
  PolicyConditions,
  PolicyPrincipal,
  PolicyStatement,
  PrincipalKind,
  coversAction,
  coversPrefix,
  conditionEntries,
  conditionValues,
  describeConditions,
  hasConditions,
  overlaps,
  parsePolicyDocument,
  resourceTokens,
  statementName,
  underPrefix,
} from './policy-document';

export type { PrincipalKind } from './policy-document';

export type ObjectAccess = 'read' | 'write';

export interface AccessGrant {
  /** As written: an ARN, '*', a service principal, an OAI canonical id. */
  readonly principal: string;
  readonly kind: PrincipalKind;
  /** 12 digits, when the principal names an account. */
  readonly account?: string;
  /** The IAM identity it stands for: root ARN for a bare account id, role ARN for an assumed-role session. */
  readonly iamArn?: string;
  /** read: s3:GetObject / s3:GetObjectVersion (or wildcards covering them); write: s3:PutObject. */
  readonly access: readonly ObjectAccess[];
  /** Where it was found, e.g. "bucket policy, statement ReadersRead". */
  readonly source: string;
  /** The statement's Condition, normalised to lists. */
  readonly conditions?: PolicyConditions;
  /** What a reader of the report should know: NotPrincipal, NotAction, Deny statements under conditions. */
  readonly notes?: readonly string[];
}

export interface ObjectAccessProps {
  readonly bucket: string;
  /** Only objects under this prefix count; '' is the whole bucket. */
  readonly prefix: string;
  /** Names the policy in each grant's source, e.g. "bucket policy" or "access point analytics-ap". */
  readonly source: string;
  /**
   * Set for an access point's policy: its statements name objects as
   * `arn:aws:s3:<region>:<account>:accesspoint/<name>/object/<key>`.
   * @default the policy is the bucket policy
   */
  readonly accessPointArn?: string;
}

/** Reading an object or one of its versions. */
const READ_ACTIONS = ['s3:GetObject', 's3:GetObjectVersion'] as const;
/** Writing an object: what SSE-KMS encrypts under the bucket's default key. */
const WRITE_ACTIONS = ['s3:PutObject'] as const;
const OBJECT_ACTIONS = [...READ_ACTIONS, ...WRITE_ACTIONS] as const;
type ObjectAction = (typeof OBJECT_ACTIONS)[number];

/**
 * Grants of object read/write on `bucket` (and `prefix`) in a bucket policy or access point policy
 * (JSON text). A Deny takes a grant away only where it surely does: the same principal, its
 * account, or everyone, covering the action on every object the grant reaches, without conditions.
 * Anything less certain (a Deny under conditions, NotPrincipal, NotResource) leaves the grant in
 * and says so in its notes: a reader reported twice costs a look, a reader missed costs an outage.
 */
export function objectAccessGrants(policyJson: string, props: ObjectAccessProps): AccessGrant[] {
  const statements = parsePolicyDocument(policyJson, props.source);
  const target = targetLiteral(props);
  const denies = statements.filter((s) => s.effect === 'Deny');
  const grants: AccessGrant[] = [];
  for (const statement of statements) {
    if (statement.effect !== 'Allow') continue;
    const scopes = scopesWithin(statement, target);
    if (scopes.length === 0) continue;
    const actions = OBJECT_ACTIONS.filter((a) => coversAction(statement, a));
    if (actions.length === 0) continue;
    const statementNotes = notesOf(statement);
    const principals: PolicyPrincipal[] = statement.notPrincipal ? [{ principal: '*', kind: 'anyone' }] : [...statement.principals];
    for (const principal of principals) {
      const notes = [...statementNotes, ...principalNotes(principal)];
      const remaining = actions.filter((action) => !deniedSurely(denies, principal, action, scopes, notes));
      const access = accessOf(remaining);
      if (access.length === 0) continue;
      grants.push({
        principal: principal.principal,
        kind: principal.kind,
        ...(principal.account !== undefined ? { account: principal.account } : {}),
        ...(principal.iamArn !== undefined ? { iamArn: principal.iamArn } : {}),
        access,
        source: `${props.source}, statement ${statementName(statement)}`,
        ...(hasConditions(statement) ? { conditions: statement.conditions } : {}),
        ...(notes.length > 0 ? { notes: [...new Set(notes)] } : {}),
      });
    }
  }
  return grants;
}

/** The object ARNs the question is about, as a literal prefix: everything under it. */
function targetLiteral(props: ObjectAccessProps): string {
  if (props.accessPointArn !== undefined) return `${withoutPartition(props.accessPointArn)}/object/${props.prefix}`;
  return `arn:aws:s3:::${props.bucket}/${props.prefix}`;
}

/** Partitions (aws, aws-cn, aws-us-gov) do not matter within one policy: compare without them. */
function withoutPartition(arn: string): string {
  return arn.replace(/^arn:aws-[a-z-]+:/, 'arn:aws:');
}

/**
 * The parts of the target a statement's resources reach, each as a literal prefix: the target
 * itself, or a narrower prefix when the statement names one (`bucket/reports/*` under `bucket/`).
 * Empty when the statement names other buckets or other prefixes only.
 */
function scopesWithin(statement: PolicyStatement, target: string): string[] {
  if (statement.notResource) {
    // Every resource but the listed ones: out only where a listed pattern covers the whole target.
    return statement.resources.some((r) => coversPrefix(resourceTokens(withoutPartition(r)), target)) ? [] : [target];
  }
  const scopes: string[] = [];
  for (const resource of statement.resources.map(withoutPartition)) {
    const tokens = resourceTokens(resource);
    if (!overlaps(tokens, underPrefix(target))) continue;
    const literal = /^[^*?$]*/.exec(resource)![0];
    const narrower = literal.startsWith(target) && literal.length > target.length;
    scopes.push(narrower ? literal : target);
  }
  return [...new Set(scopes)];
}

function notesOf(statement: PolicyStatement): string[] {
  const notes: string[] = [];
  const listed = (values: readonly string[]) => values.join(', ');
  if (statement.notPrincipal) notes.push(`NotPrincipal: everyone but ${listed(statement.principals.map((p) => p.principal))}`);
  if (statement.notAction) notes.push(`NotAction: every action but ${listed(statement.actions)}`);
  if (statement.notResource) notes.push(`NotResource: every resource but ${listed(statement.resources)}`);
  if (statement.resources.some((r) => r.includes('${'))) notes.push('a policy variable in Resource is read as a wildcard');
  return notes;
}

function principalNotes(principal: PolicyPrincipal): string[] {
  if (principal.kind === 'assumed-role')
    return [`an assumed-role session of ${principal.iamArn}: the grant holds for that session name only`];
  // IAM shows a principal that was deleted after the policy named it by its unique id.
  if (principal.kind === 'other' && /^A(RO|ID|IP)A[A-Z0-9]{12,}$/.test(principal.principal)) {
    return ['a unique principal id: IAM shows a principal this way once it was deleted, so the grant reaches nobody now'];
  }
  if (principal.kind === 'other' || principal.kind === 'federated') return [`principal form not evaluated: ${principal.principal}`];
  return [];
}

/**
 * Whether some Deny surely takes `action` away from `principal` on every scope. A Deny that might
 * (under conditions, or with NotPrincipal) is only noted.
 */
function deniedSurely(
  denies: readonly PolicyStatement[],
  principal: PolicyPrincipal,
  action: ObjectAction,
  scopes: readonly string[],
  notes: string[],
): boolean {
  for (const deny of denies) {
    if (!coversAction(deny, action)) continue;
    if (deny.notResource) continue;
    const covers = scopes.every((scope) => deny.resources.some((r) => coversPrefix(resourceTokens(withoutPartition(r)), scope)));
    if (!covers) continue;
    if (deny.notPrincipal) {
      if (!deny.principals.some((p) => samePrincipal(p, principal))) {
        notes.push(
          `Deny ${statementName(deny)} with NotPrincipal (everyone but ${deny.principals.map((p) => p.principal).join(', ')}) may take ${action} away`,
        );
      }
      continue;
    }
    if (!deny.principals.some((p) => denyReaches(p, principal))) continue;
    if (hasConditions(deny)) {
      notes.push(
        `Deny ${statementName(deny)} takes ${action} away under conditions not evaluated (${describeConditions(deny.conditions)})`,
      );
      continue;
    }
    return true;
  }
  return false;
}

/** A Deny naming `denied` reaches `principal`: everyone, the same identity, or its whole account. */
function denyReaches(denied: PolicyPrincipal, principal: PolicyPrincipal): boolean {
  if (denied.kind === 'anyone') return true;
  if (samePrincipal(denied, principal)) return true;
  // A role named in a resource policy stands for its sessions too.
  if (denied.kind === 'role' && principal.kind === 'assumed-role')
    return denied.account === principal.account && roleName(denied.iamArn) === roleName(principal.iamArn);
  return denied.kind === 'account-root' && principal.account !== undefined && denied.account === principal.account;
}

function samePrincipal(a: PolicyPrincipal, b: PolicyPrincipal): boolean {
  return (a.iamArn ?? a.principal) === (b.iamArn ?? b.principal) && a.kind === b.kind;
}

function roleName(arn: string | undefined): string | undefined {
  return arn?.split('/').pop();
}

function accessOf(actions: readonly ObjectAction[]): ObjectAccess[] {
  const access: ObjectAccess[] = [];
  if (actions.some((a) => (READ_ACTIONS as readonly string[]).includes(a))) access.push('read');
  if (actions.some((a) => (WRITE_ACTIONS as readonly string[]).includes(a))) access.push('write');
  return access;
}

// --- classification ----------------------------------------------------------------------------

export type AccessFinding =
  /** Needs kms:Decrypt, through S3, to keep reading. */
  | { readonly kind: 'reader'; readonly grant: AccessGrant }
  /** Needs kms:GenerateDataKey (and kms:Decrypt for multipart uploads) to keep writing. */
  | { readonly kind: 'writer'; readonly grant: AccessGrant }
  /** CloudFront through an origin access control: the key policy must grant cloudfront.amazonaws.com for each distribution. */
  | { readonly kind: 'cloudfront-oac'; readonly grant: AccessGrant; readonly distributions: readonly string[] }
  /** A legacy origin access identity: cannot read SSE-KMS objects at all. */
  | { readonly kind: 'cloudfront-oai'; readonly grant: AccessGrant; readonly why: string }
  /** A service delivering logs into the bucket. */
  | {
      readonly kind: 'log-delivery';
      readonly grant: AccessGrant;
      readonly service: string;
      readonly verdict: 'grant-key' | 'refuse';
      readonly why: string;
      /** The `buckets[].logDelivery` entry that grants it, where the stack can. */
      readonly configName?: string;
    };

/** CloudFront's service principal, used by origin access control. */
export const CLOUDFRONT_SERVICE_PRINCIPAL = 'cloudfront.amazonaws.com';

/**
 * "OAI doesn't support [SSE-KMS] or it requires extra workarounds": CloudFront recommends origin
 * access control, which supports SSE-KMS with a key policy statement for the distribution.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html
 */
const OAI_WHY =
  'a CloudFront origin access identity cannot read SSE-KMS objects (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html); ' +
  'no key policy fixes that. Move the distribution to an origin access control first ("Migrating from origin access identity (OAI) to origin access control (OAC)" on that page), ' +
  'grant its distribution on the key, then migrate';

/**
 * Sorts grants into what each needs from the key: log delivery services (S3 server access logs,
 * vended logs, Elastic Load Balancing by service principal or regional account), CloudFront through
 * OAC or OAI, and ordinary readers and writers.
 */
export function classifyAccess(grants: readonly AccessGrant[]): AccessFinding[] {
  const findings: AccessFinding[] = [];
  for (const grant of grants) {
    if (grant.kind === 'cloudfront-oai') {
      findings.push({ kind: 'cloudfront-oai', grant, why: OAI_WHY });
      continue;
    }
    if (grant.kind === 'canonical-user') {
      // S3 bucket policies accept a canonical user id as principal for one purpose: CloudFront OAIs.
      findings.push({
        kind: 'cloudfront-oai',
        grant,
        why: `a CanonicalUser principal in a bucket policy is how a CloudFront origin access identity is named; ${OAI_WHY}. If ${grant.principal} is not an OAI, name the principal by ARN instead`,
      });
      continue;
    }
    if (grant.kind === 'service' && grant.principal.toLowerCase() === CLOUDFRONT_SERVICE_PRINCIPAL) {
      findings.push({ kind: 'cloudfront-oac', grant, distributions: conditionValues(grant.conditions ?? {}, 'aws:SourceArn') });
      continue;
    }
    const delivery = logDeliveryOf(grant);
    if (delivery && grant.access.includes('write')) {
      findings.push({
        kind: 'log-delivery',
        grant,
        service: delivery.service,
        verdict: delivery.verdict,
        why: delivery.why,
        ...(delivery.configName === undefined ? {} : { configName: delivery.configName }),
      });
      if (grant.access.includes('read')) findings.push({ kind: 'reader', grant });
      continue;
    }
    if (grant.access.includes('read')) findings.push({ kind: 'reader', grant });
    if (grant.access.includes('write')) findings.push({ kind: 'writer', grant });
  }
  return findings;
}

/**
 * Whether a bucket policy refuses uploads that name an encryption other than SSE-KMS (a Deny of
 * s3:PutObject conditioned on `s3:x-amz-server-side-encryption`): with it, an application that sends
 * `x-amz-server-side-encryption: AES256` out of habit starts failing; without it (the stack's audit
 * mode), such writers keep working and can be found first. Uploads that name no encryption fall
 * through to default encryption either way.
 */
export function refusesForeignEncryption(policyJson: string): boolean {
  return parsePolicyDocument(policyJson, 'bucket policy').some(
    (s) =>
      s.effect === 'Deny' &&
      !s.notAction &&
      coversAction(s, 's3:PutObject') &&
      conditionEntries(s.conditions).some((c) => c.key.toLowerCase() === 's3:x-amz-server-side-encryption'),
  );
}
