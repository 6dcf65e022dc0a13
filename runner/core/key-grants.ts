// Whether the deployed key policy lets each reader and writer of a bucket keep using its objects through S3 once they are under the key.
import { AccessFinding, AccessGrant } from './bucket-access';
import { RequestContext, evaluateConditions, requestContext } from './policy-conditions';
import {
  PolicyPrincipal,
  PolicyStatement,
  conditionEntries,
  coversAction,
  hasConditions,
  parsePolicyDocument,
  roleNameOf,
  statementName,
} from './policy-document';

export type KeyVerdict = 'granted' | 'not-granted' | 'granted-by-iam-not-checked' | 'cannot-tell';

export interface KeyContext {
  /** The account of the key and the bucket. */
  readonly account: string;
  /** The Region of the bucket: S3 calls KMS there, so kms:ViaService is s3.<region>.amazonaws.com. */
  readonly region: string;
  readonly bucket: string;
}

export interface KeyVerdictResult {
  readonly verdict: KeyVerdict;
  readonly why: string;
}

const DECRYPT = 'kms:Decrypt';
const GENERATE_DATA_KEY = 'kms:GenerateDataKey';

/**
 * Whether the key policy (JSON) lets the finding's principal use the key through S3 in `ctx.region`
 * for what it needs: kms:Decrypt to read, kms:GenerateDataKey to write or deliver logs; for
 * CloudFront OAC, cloudfront.amazonaws.com with an AWS:SourceArn of each distribution.
 *
 * A key policy statement naming an account root delegates to that account's IAM policies: its
 * principals are then "granted by IAM, not checked", never "granted". A principal of another
 * account needs its own account's IAM policy as well, so the best it gets is the same. Conditions
 * are evaluated where the request is known (kms:ViaService, kms:CallerAccount, aws:PrincipalAccount,
 * aws:PrincipalArn, aws:SourceArn and aws:SourceAccount where the grant names them); any other key
 * makes the answer "cannot tell", with the reason.
 */
export function keyVerdict(finding: AccessFinding, keyPolicyJson: string, ctx: KeyContext): KeyVerdictResult {
  switch (finding.kind) {
    case 'cloudfront-oai':
      return { verdict: 'not-granted', why: finding.why };
    case 'log-delivery':
      if (finding.verdict === 'refuse') return { verdict: 'not-granted', why: finding.why };
      return servicePrincipalVerdict(
        finding.grant,
        [GENERATE_DATA_KEY],
        parsePolicyDocument(keyPolicyJson, 'key policy'),
        logDeliveryContexts(finding.grant, ctx),
        ctx,
      );
    case 'cloudfront-oac':
      return cloudFrontVerdict(finding.grant, finding.distributions, parsePolicyDocument(keyPolicyJson, 'key policy'), ctx);
    case 'reader':
      return principalVerdict(finding.grant, DECRYPT, parsePolicyDocument(keyPolicyJson, 'key policy'), ctx);
    case 'writer':
      return writerVerdict(finding.grant, parsePolicyDocument(keyPolicyJson, 'key policy'), ctx);
  }
}

// --- IAM principals ----------------------------------------------------------------------------

/** How a key policy statement's principal reaches the grant's principal. */
type Reach = 'direct' | 'account' | 'anyone';

interface Candidate {
  readonly statement: PolicyStatement;
  readonly reach: Reach;
  readonly truth: 'true' | 'false' | 'unknown';
  readonly detail: string;
}

function writerVerdict(grant: AccessGrant, statements: readonly PolicyStatement[], ctx: KeyContext): KeyVerdictResult {
  const write = principalVerdict(grant, GENERATE_DATA_KEY, statements, ctx);
  if (write.verdict === 'not-granted' || write.verdict === 'cannot-tell') return write;
  // S3 decrypts the data key to finish a multipart upload, so large uploads also need kms:Decrypt.
  const read = principalVerdict(grant, DECRYPT, statements, ctx);
  if (read.verdict === 'not-granted')
    return {
      verdict: write.verdict,
      why: `${write.why}; but multipart uploads also need kms:Decrypt, which it is not granted (${read.why})`,
    };
  return write;
}

function principalVerdict(grant: AccessGrant, action: string, statements: readonly PolicyStatement[], ctx: KeyContext): KeyVerdictResult {
  if (grant.kind === 'service') return servicePrincipalVerdict(grant, [action], statements, [serviceContext(grant, ctx)], ctx);
  if (grant.kind === 'anyone') return anyoneVerdict(grant, action, statements, ctx);
  if (grant.account === undefined) {
    return {
      verdict: 'cannot-tell',
      why: `${describe(grant)} is a principal whose account the key policy cannot be compared against (${grant.kind})`,
    };
  }
  const context = principalContext(grant, ctx);
  const denied = denyOutcome(statements, action, (p) => reach(p, grant) !== undefined, context);
  if (denied.verdict === 'not-granted') return denied;

  const candidates: Candidate[] = [];
  for (const statement of statements) {
    if (statement.effect !== 'Allow' || statement.notPrincipal || !coversAction(statement, action)) continue;
    const how = bestReach(statement.principals, grant);
    if (!how) continue;
    const outcome = evaluateConditions(statement.conditions, context);
    const detail =
      outcome.failed.length > 0
        ? `its condition ${outcome.failed.join('; ')} does not hold`
        : outcome.unknown.length > 0
          ? `its condition ${outcome.unknown.join('; ')} cannot be evaluated here`
          : '';
    candidates.push({ statement, reach: how, truth: outcome.truth, detail });
  }

  const sameAccount = grant.account === ctx.account;
  // A key policy naming an account root hands the decision to that account's IAM policies; so does
  // a grant to a whole account, and any principal of another account needs its own IAM policy too.
  const throughIam = (c: Candidate) => c.reach === 'account' || grant.kind === 'account-root' || !sameAccount;
  const holding = candidates.filter((c) => c.truth === 'true');
  const direct = holding.find((c) => !throughIam(c));
  let result: KeyVerdictResult | undefined;
  if (direct) {
    result = {
      verdict: 'granted',
      why: `key policy statement ${statementName(direct.statement)} grants ${describe(grant)} ${action}${viaS3(direct.statement)}`,
    };
  } else if (holding.length > 0) {
    const c = holding[0]!;
    result = { verdict: 'granted-by-iam-not-checked', why: iamWhy(grant, c, action, ctx) };
  }
  const unsure = candidates.filter((c) => c.truth === 'unknown');
  if (result) return denied.verdict === 'cannot-tell' ? { verdict: 'cannot-tell', why: `${result.why}; but ${denied.why}` } : result;
  if (unsure.length > 0) {
    return {
      verdict: 'cannot-tell',
      why: unsure
        .map((c) => `key policy statement ${statementName(c.statement)} would grant ${describe(grant)} ${action}, but ${c.detail}`)
        .join('; '),
    };
  }
  const failed = candidates.map((c) => `statement ${statementName(c.statement)} names it, but ${c.detail}`);
  return {
    verdict: 'not-granted',
    why: `the key policy does not grant ${describe(grant)} ${action} through S3 in ${ctx.region}${failed.length > 0 ? `: ${failed.join('; ')}` : ' (no statement names it, its role or its account)'}`,
  };
}

function iamWhy(grant: AccessGrant, c: Candidate, action: string, ctx: KeyContext): string {
  const statement = `key policy statement ${statementName(c.statement)}`;
  if (grant.account !== ctx.account) {
    const named =
      c.reach === 'direct' ? `names ${describe(grant)}` : c.reach === 'anyone' ? 'grants "*"' : `names its account ${grant.account}`;
    return `${statement} ${named} for ${action}; a principal of another account also needs its own IAM policy to allow ${action} on the key (not checked)`;
  }
  if (grant.kind === 'account-root')
    return `${statement} grants account ${grant.account}; which of its principals may use the key is up to their IAM policies (not checked)`;
  return `${statement} delegates the key to account ${grant.account} (its root), so ${describe(grant)} has ${action} only if its IAM policy allows it (not checked)`;
}

/** How `p`, named by a key policy statement, reaches the grant's principal. */
function reach(p: PolicyPrincipal, grant: AccessGrant): Reach | undefined {
  if (p.kind === 'anyone') return 'anyone';
  if (p.kind === 'account-root') return p.account === grant.account ? (grant.kind === 'account-root' ? 'direct' : 'account') : undefined;
  if (p.iamArn !== undefined && grant.iamArn !== undefined) {
    if (p.iamArn === grant.iamArn) return 'direct';
    // A role in a key policy stands for its sessions; a session's ARN carries no role path.
    if (
      p.kind === 'role' &&
      grant.kind === 'assumed-role' &&
      p.account === grant.account &&
      roleNameOf(p.iamArn) === roleNameOf(grant.iamArn)
    )
      return 'direct';
  }
  return undefined;
}

function bestReach(principals: readonly PolicyPrincipal[], grant: AccessGrant): Reach | undefined {
  const reaches = principals.map((p) => reach(p, grant)).filter((r): r is Reach => r !== undefined);
  return reaches.find((r) => r === 'direct') ?? reaches.find((r) => r === 'anyone') ?? reaches[0];
}

/**
 * The encryption context S3 gives KMS for the bucket's objects once migrated: every version ends up
 * SSE-KMS with an S3 Bucket Key, and with a Bucket Key the context is the bucket's ARN, not the
 * object's (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html, "Changes to note
 * before enabling an S3 Bucket Key").
 */
function bucketKeyContext(ctx: KeyContext): string {
  return `arn:aws:s3:::${ctx.bucket}`;
}

function principalContext(grant: AccessGrant, ctx: KeyContext): RequestContext {
  // A grant to an account root stands for any of its principals: their ARN is not known.
  const principalArn = grant.kind === 'role' || grant.kind === 'user' ? grant.iamArn : undefined;
  return requestContext({
    'kms:ViaService': `s3.${ctx.region}.amazonaws.com`,
    'kms:EncryptionContext:aws:s3:arn': bucketKeyContext(ctx),
    'kms:CallerAccount': grant.account,
    'aws:PrincipalAccount': grant.account,
    'aws:PrincipalArn': principalArn,
  });
}

/**
 * `Principal: "*"` in the bucket policy: unconditional, it is anonymous access, which S3 cannot
 * serve for SSE-KMS objects (they need SigV4-signed requests:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html); with conditions
 * (aws:PrincipalOrgID ...) it admits principals the key policy would have to admit in the same way.
 */
function anyoneVerdict(grant: AccessGrant, action: string, statements: readonly PolicyStatement[], ctx: KeyContext): KeyVerdictResult {
  if (!grant.conditions || conditionEntries(grant.conditions).length === 0) {
    return {
      verdict: 'not-granted',
      why:
        `${describe(grant)} grants anonymous access; S3 serves SSE-KMS objects only to signed requests of principals allowed to use the key ` +
        '(https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html), so anonymous readers lose access whatever the key policy says',
    };
  }
  const admitted = conditionEntries(grant.conditions)
    .map((c) => `${c.operator} ${c.key} ${c.values.join(', ')}`)
    .join('; ');
  const allows = statements.filter((s) => s.effect === 'Allow' && !s.notPrincipal && coversAction(s, action));
  const toAnyone = allows.find((s) => s.principals.some((p) => p.kind === 'anyone'));
  if (toAnyone) {
    return {
      verdict: 'cannot-tell',
      why: `${describe(grant)} admits everyone with ${admitted}; key policy statement ${statementName(toAnyone)} grants ${action} to "*"${hasConditions(toAnyone) ? ' under its own conditions' : ''}: compare the two by hand`,
    };
  }
  const toOwnAccount = allows.find((s) => s.principals.some((p) => p.kind === 'account-root' && p.account === ctx.account));
  if (toOwnAccount) {
    return {
      verdict: 'cannot-tell',
      why: `${describe(grant)} admits everyone with ${admitted}; principals of account ${ctx.account} may be granted through IAM (key policy statement ${statementName(toOwnAccount)}, not checked), principals of other accounts are not granted unless the key policy names them`,
    };
  }
  return {
    verdict: 'not-granted',
    why: `${describe(grant)} admits everyone with ${admitted}; the key policy grants ${action} to none of them`,
  };
}

// --- service principals ------------------------------------------------------------------------

function serviceContext(grant: AccessGrant, ctx: KeyContext, sourceArn?: string, sourceAccount?: string): RequestContext {
  return requestContext({
    'kms:ViaService': `s3.${ctx.region}.amazonaws.com`,
    'kms:EncryptionContext:aws:s3:arn': bucketKeyContext(ctx),
    'aws:SourceArn': sourceArn ?? exactValue(grant, 'aws:SourceArn'),
    'aws:SourceAccount': sourceAccount ?? exactValue(grant, 'aws:SourceAccount'),
  });
}

/** The single literal value the grant's conditions give `key`, when there is exactly one. */
function exactValue(grant: AccessGrant, key: string): string | undefined {
  const values = conditionEntries(grant.conditions ?? {})
    .filter((c) => c.key.toLowerCase() === key.toLowerCase())
    .flatMap((c) => c.values);
  return values.length === 1 && !/[*?]/.test(values[0]!) ? values[0] : undefined;
}

/**
 * Log delivery for the bucket: S3 server access logs come only from buckets of the destination
 * bucket's own account, so aws:SourceAccount is known for them.
 */
function logDeliveryContexts(grant: AccessGrant, ctx: KeyContext): RequestContext[] {
  const sourceAccount =
    grant.principal.toLowerCase() === 'logging.s3.amazonaws.com' ? (exactValue(grant, 'aws:SourceAccount') ?? ctx.account) : undefined;
  return [serviceContext(grant, ctx, undefined, sourceAccount)];
}

function cloudFrontVerdict(
  grant: AccessGrant,
  distributions: readonly string[],
  statements: readonly PolicyStatement[],
  ctx: KeyContext,
): KeyVerdictResult {
  const actions = [...(grant.access.includes('read') ? [DECRYPT] : []), ...(grant.access.includes('write') ? [GENERATE_DATA_KEY] : [])];
  if (distributions.length === 0) {
    const result = servicePrincipalVerdict(grant, actions, statements, [serviceContext(grant, ctx)], ctx);
    if (result.verdict !== 'granted')
      return {
        verdict: 'cannot-tell',
        why: `${describe(grant)} names no distribution (no AWS:SourceArn condition), so the key policy cannot be compared for one: ${result.why}`,
      };
    return result;
  }
  const results = distributions.map((d) => ({
    d,
    result: servicePrincipalVerdict(grant, actions, statements, [serviceContext(grant, ctx, /[*?]/.test(d) ? undefined : d)], ctx),
  }));
  const worst = results.find((r) => r.result.verdict === 'not-granted') ?? results.find((r) => r.result.verdict === 'cannot-tell');
  if (worst) return { verdict: worst.result.verdict, why: `distribution ${worst.d}: ${worst.result.why}` };
  return { verdict: 'granted', why: results.map((r) => `distribution ${r.d}: ${r.result.why}`).join('; ') };
}

/** A service principal needs a key policy statement naming it: IAM policies do not apply to services. */
function servicePrincipalVerdict(
  grant: AccessGrant,
  actions: readonly string[],
  statements: readonly PolicyStatement[],
  contexts: readonly RequestContext[],
  ctx: KeyContext,
): KeyVerdictResult {
  const service = grant.principal.toLowerCase();
  const names = (p: PolicyPrincipal) => p.kind === 'anyone' || (p.kind === 'service' && p.principal.toLowerCase() === service);
  const whys: string[] = [];
  let verdict: KeyVerdict = 'granted';
  for (const action of actions) {
    for (const context of contexts) {
      const denied = denyOutcome(statements, action, names, context);
      if (denied.verdict === 'not-granted') return denied;
      const candidates = statements
        .filter((s) => s.effect === 'Allow' && !s.notPrincipal && coversAction(s, action) && s.principals.some(names))
        .map((s) => ({ s, outcome: evaluateConditions(s.conditions, context) }));
      const holding = candidates.find((c) => c.outcome.truth === 'true');
      if (holding) {
        whys.push(`key policy statement ${statementName(holding.s)} grants ${grant.principal} ${action}`);
        if (denied.verdict === 'cannot-tell') {
          verdict = 'cannot-tell';
          whys.push(denied.why);
        }
        continue;
      }
      const unsure = candidates.find((c) => c.outcome.truth === 'unknown');
      if (unsure) {
        verdict = 'cannot-tell';
        whys.push(
          `key policy statement ${statementName(unsure.s)} would grant ${grant.principal} ${action}, but its condition ${unsure.outcome.unknown.join('; ')} cannot be evaluated here`,
        );
        continue;
      }
      const failed = candidates.map(
        (c) => `statement ${statementName(c.s)} names it, but its condition ${c.outcome.failed.join('; ')} does not hold`,
      );
      return {
        verdict: 'not-granted',
        why: `the key policy does not grant ${grant.principal} ${action} in ${ctx.region}${failed.length > 0 ? `: ${failed.join('; ')}` : ' (no statement names the service)'}; services are granted by the key policy only`,
      };
    }
  }
  return { verdict, why: whys.join('; ') };
}

// --- Deny --------------------------------------------------------------------------------------

/** A Deny on `action` reaching the principal: surely ('not-granted'), maybe ('cannot-tell'), or none ('granted'). */
function denyOutcome(
  statements: readonly PolicyStatement[],
  action: string,
  names: (p: PolicyPrincipal) => boolean,
  context: RequestContext,
): KeyVerdictResult {
  for (const deny of statements) {
    if (deny.effect !== 'Deny' || !coversAction(deny, action)) continue;
    if (deny.notPrincipal) {
      if (deny.principals.some(names)) continue;
      return { verdict: 'cannot-tell', why: `Deny ${statementName(deny)} with NotPrincipal may take ${action} away` };
    }
    if (!deny.principals.some(names)) continue;
    const outcome = evaluateConditions(deny.conditions, context);
    if (outcome.truth === 'true') return { verdict: 'not-granted', why: `key policy statement ${statementName(deny)} denies ${action}` };
    if (outcome.truth === 'unknown')
      return {
        verdict: 'cannot-tell',
        why: `key policy statement ${statementName(deny)} denies ${action} under a condition not evaluated here (${outcome.unknown.join('; ')})`,
      };
  }
  return { verdict: 'granted', why: '' };
}

// --- wording -----------------------------------------------------------------------------------

function describe(grant: AccessGrant): string {
  return `${grant.principal} (${grant.source})`;
}

function viaS3(statement: PolicyStatement): string {
  return conditionEntries(statement.conditions).some((c) => c.key.toLowerCase() === 'kms:viaservice') ? ' through S3' : '';
}
