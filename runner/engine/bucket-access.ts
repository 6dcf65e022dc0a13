// Who reads and writes each bucket, found before anything is written: the bucket policy and the
// policies of its access points name the principals and services; the deployed key policy says
// whether each of them can still use the key once the bucket's versions are under it. A
// re-encryption cannot be undone in place, so a reader the key does not grant stops the run.
import type { BucketOutput } from '../../stacks/outputs';
import { readAccessPointPolicies, readBucketPolicy, readKeyPolicy, type PolicyRead } from '../aws/bucket-access';
import { classifyAccess, objectAccessGrants, refusesForeignEncryption, type AccessFinding, type AccessGrant } from '../core/bucket-access';
import { keyVerdict, type KeyVerdict } from '../core/key-grants';
import { NeedsHumanError } from '../errors';
import { ACCESS_VERDICT_WORDS } from '../core/report';
import { table, type Output } from '../output';
import type { RunContext } from '../context';
import type { BucketAccessRecord, MigrationState } from '../state';

/** One principal or service found, and whether the key lets it on. */
export interface AccessCheck {
  readonly finding: AccessFinding;
  /** 'refused': nothing the key policy could grant makes it work (CloudFront OAI, ELB access logs). */
  readonly verdict: KeyVerdict | 'refused';
  readonly why: string;
  /** Named in the bucket's accept_losing_access: reported, not refused. */
  readonly accepted: boolean;
  /** The config change that would grant it, where one can. */
  readonly fix?: string;
}

export interface BucketAccess {
  readonly bucket: string;
  readonly checks: readonly AccessCheck[];
  /**
   * The bucket policy refuses uploads that name another encryption (the stack's enforce mode); false
   * in audit mode, where writers sending `x-amz-server-side-encryption: AES256` keep working. Unknown
   * when the policy could not be read.
   */
  readonly refusesForeignEncryption?: boolean;
  /** Policies that could not be read: who reads the bucket cannot be told. */
  readonly cannotTell: readonly string[];
}

/** Finds and checks every reader and writer of every bucket of the stack. Read-only. */
export async function discoverBucketAccess(ctx: RunContext, buckets: readonly BucketOutput[]): Promise<BucketAccess[]> {
  const { outputs, clients } = ctx;
  const key = await readKeyPolicy(clients, outputs.kms_key_arn);
  const results: BucketAccess[] = [];
  for (const bucket of buckets) {
    const cannotTell: string[] = [];
    const grants: AccessGrant[] = [];
    const take = (read: PolicyRead, source: string, accessPointArn?: string) => {
      if ('cannotTell' in read) cannotTell.push(read.cannotTell);
      if (!('policy' in read)) return;
      try {
        grants.push(
          ...objectAccessGrants(read.policy, {
            bucket: bucket.bucket,
            prefix: bucket.prefix_filter,
            source,
            ...(accessPointArn ? { accessPointArn } : {}),
          }),
        );
      } catch (error) {
        cannotTell.push(`the ${source} of ${bucket.bucket} cannot be read as a policy: ${(error as Error).message}`);
      }
    };
    const bucketPolicy = await readBucketPolicy(clients, bucket.bucket);
    take(bucketPolicy, 'bucket policy');
    let uploads: boolean | undefined = 'none' in bucketPolicy ? false : undefined;
    if ('policy' in bucketPolicy) {
      try {
        uploads = refusesForeignEncryption(bucketPolicy.policy);
      } catch {
        // Already named as "cannot tell" by take().
      }
    }
    const points = await readAccessPointPolicies(clients, outputs.account_id, bucket.bucket);
    if ('cannotTell' in points) cannotTell.push(points.cannotTell);
    else for (const point of points) take(point.read, `access point ${point.name}`, point.arn);
    const checks = classifyAccess(grants).map((finding) => checkFinding(finding, key, bucket, outputs.account_id, outputs.region));
    if ('cannotTell' in key) cannotTell.push(key.cannotTell);
    results.push({ bucket: bucket.bucket, checks, cannotTell, ...(uploads === undefined ? {} : { refusesForeignEncryption: uploads }) });
  }
  return results;
}

function checkFinding(finding: AccessFinding, key: PolicyRead, bucket: BucketOutput, account: string, region: string): AccessCheck {
  const accepted = bucket.accept_losing_access.includes(finding.grant.principal);
  if (finding.kind === 'cloudfront-oai') {
    return {
      finding,
      verdict: 'refused',
      why: finding.why,
      accepted,
      fix: 'move the distribution to Origin Access Control first, then list it in cloudfrontDistributions',
    };
  }
  if (finding.kind === 'log-delivery' && finding.verdict === 'refuse') return { finding, verdict: 'refused', why: finding.why, accepted };
  if (!('policy' in key)) return { finding, verdict: 'cannot-tell', why: 'the key policy could not be read', accepted };
  const { verdict, why } = keyVerdict(finding, key.policy, { account, region, bucket: bucket.bucket });
  return { finding, verdict, why, accepted, ...(verdict === 'granted' ? {} : { fix: fixFor(finding, bucket.bucket) }) };
}

/** The config line that would grant a finding the key, least privilege first. */
function fixFor(finding: AccessFinding, bucket: string): string {
  switch (finding.kind) {
    case 'cloudfront-oac':
      return `add ${finding.distributions.join(', ') || 'the distribution ARN'} to cloudfrontDistributions of bucket ${bucket}`;
    case 'log-delivery':
      if (finding.configName !== undefined) {
        return `add "${finding.configName}" to logDelivery of bucket ${bucket} (kms:GenerateDataKey for ${finding.grant.principal}, from this account, this bucket only), deploy, then run again`;
      }
      return `the key policy must let ${finding.service} use the key (kms:GenerateDataKey) before bucket ${bucket} is migrated: add it by hand, or accept the loss in acceptLosingAccess`;
    default:
      return `add ${finding.grant.principal} to readers of bucket ${bucket} (decrypt through S3, this bucket only), or to key.users`;
  }
}

/** Checks that stop a run: not granted, cannot tell, or refused, unless the config accepts the principal. */
export function blockingChecks(access: BucketAccess): AccessCheck[] {
  return access.checks.filter(
    (c) => !c.accepted && (c.verdict === 'not-granted' || c.verdict === 'cannot-tell' || c.verdict === 'refused'),
  );
}

/** A bucket's access check as the state keeps it: who, as what, through which policy, and the key's verdict. */
export function accessRecordOf(access: BucketAccess, checkedAt: Date): BucketAccessRecord {
  return {
    checkedAt: checkedAt.toISOString(),
    checks: access.checks.map((c) => ({
      principal: c.finding.grant.principal,
      kind: c.finding.kind,
      source: c.finding.grant.source,
      verdict: c.verdict,
      accepted: c.accepted,
    })),
    cannotTell: [...access.cannotTell],
  };
}

/**
 * Keeps each bucket's access check in the state, so that status and report show who would lose
 * access. The caller saves the state before refusing, so a refused run leaves its record.
 */
export function recordBucketAccess(state: MigrationState, access: readonly BucketAccess[], checkedAt: Date = new Date()): void {
  for (const a of access) (state.access ??= {})[a.bucket] = accessRecordOf(a, checkedAt);
}

/** The run's table and the report say a verdict in the same words. */
const VERDICT_WORDS = ACCESS_VERDICT_WORDS;

/** Per bucket, who reads and writes it and whether the key lets them on: human table, or one JSON line per bucket. */
export function reportBucketAccess(access: readonly BucketAccess[], output: Output): void {
  for (const a of access) {
    output.emit('bucket-access', { ...a, blocking: blockingChecks(a).length }, () =>
      [
        `\n${a.bucket}: who reads and writes it, and the key`,
        a.checks.length === 0
          ? '  no principal or service is granted object access by the bucket policy or an access point policy'
          : table(
              ['principal', 'as', 'via', 'key', 'why / fix'],
              a.checks.map((c) => [
                c.finding.grant.principal,
                c.finding.kind,
                c.finding.grant.source,
                `${VERDICT_WORDS[c.verdict]}${c.accepted ? ' (accepted to lose access)' : ''}`,
                c.fix ? `${c.why}; ${c.fix}` : c.why,
              ]),
            ),
        ...a.cannotTell.map((c) => `  cannot tell: ${c}`),
        a.refusesForeignEncryption === undefined
          ? '  uploads naming another encryption: cannot tell (the bucket policy could not be read)'
          : a.refusesForeignEncryption
            ? '  uploads naming another encryption (x-amz-server-side-encryption: AES256) are refused by the bucket policy: writers that send it fail'
            : '  uploads naming another encryption are not refused yet (audit mode): find such writers (README, "Readers and writers of a bucket") before enforcing',
      ].join('\n'),
    );
  }
}

/**
 * Stops the run, before anything is written, while a principal or service that reads or writes a
 * bucket would lose access once its versions are under the key. A re-encrypted version cannot be put
 * back in place: the remedy afterwards is a grant during the outage, or copying every version again.
 */
export function refuseLosingAccess(access: readonly BucketAccess[], stack: string): void {
  const lines: string[] = [];
  for (const a of access) {
    for (const c of blockingChecks(a))
      lines.push(
        `bucket ${a.bucket}: ${c.finding.grant.principal} (${c.finding.kind}, ${c.finding.grant.source}) ${VERDICT_WORDS[c.verdict]}: ${c.why}${c.fix ? `; ${c.fix}` : ''}`,
      );
    for (const c of a.cannotTell) lines.push(`bucket ${a.bucket}: who reads it cannot be told: ${c}`);
  }
  if (lines.length === 0) return;
  throw new NeedsHumanError(
    `Nothing was written: these readers or writers would lose access once the objects are under the key:\n${lines.map((l) => `  - ${l}`).join('\n')}\n` +
      `Grant them in the stack config (readers, cloudfrontDistributions or key.users) and deploy (npx cdktf deploy ${stack}), or name each in the bucket's acceptLosingAccess; then run again.`,
  );
}
