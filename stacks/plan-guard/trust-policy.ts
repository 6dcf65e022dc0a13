// Reading the Batch Operations role's trust policy: who may assume the role, and under which confused-deputy conditions.
import { PolicyDocument, PolicyHarm, Principal, Statement, conditionsOn, coversAction } from './policy-document';

/** The only principal the stack lets assume the role (stacks/constructs/batch-operations-role.ts); a test holds the two together. */
export const BATCH_OPERATIONS_SERVICE = 'batchoperations.s3.amazonaws.com';

/** Condition keys that tie a service's assume to this account's own jobs: AWS's confused deputy prevention. */
export const CONFUSED_DEPUTY_KEYS: readonly string[] = ['aws:SourceAccount', 'aws:SourceArn', 'aws:SourceOrgID', 'aws:SourceOrgPaths'];

const ASSUME_ACTIONS = ['sts:AssumeRole', 'sts:AssumeRoleWithWebIdentity', 'sts:AssumeRoleWithSAML'] as const;

/** Whether the trust policy lets S3 Batch Operations assume the role: how the guard tells the stack's role from others. */
export function trustsBatchOperations(document: PolicyDocument): boolean {
  return assumeStatements(document).some((s) => s.principals.some(isBatchOperations));
}

/** What a new trust policy opens: principals other than Batch Operations, or conditions it drops. */
export function compareTrustPolicies(before: PolicyDocument, after: PolicyDocument): PolicyHarm[] {
  const harms: PolicyHarm[] = [];
  const strangers = assumeStatements(after).flatMap((s) => {
    if (s.anyone) return ['anyone (Principal "*")'];
    if (s.notPrincipal) return [`everyone but ${s.principals.map((p) => p.id).join(', ')} (NotPrincipal)`];
    return s.principals.filter((p) => !isBatchOperations(p)).map((p) => `${p.type} ${p.id}`);
  });
  if (strangers.length > 0) {
    harms.push({
      reason:
        `the new trust policy lets ${strangers.join(', ')} assume the role, which may read and re-write every object of the migrated buckets ` +
        'and use the key: whoever assumes it can read or overwrite all of them',
      fix: `Trust only the service ${BATCH_OPERATIONS_SERVICE}, as stacks/constructs/batch-operations-role.ts writes it; a person or pipeline that needs to act on the buckets gets a role of its own.`,
    });
  }
  const required = new Set(
    assumeStatements(before)
      .filter((s) => s.principals.some(isBatchOperations))
      .flatMap(confusedDeputyConditions),
  );
  const dropped = new Set<string>();
  for (const statement of assumeStatements(after).filter((s) => s.principals.some(isBatchOperations))) {
    const kept = confusedDeputyConditions(statement);
    for (const condition of required) if (!kept.includes(condition)) dropped.add(condition);
  }
  if (dropped.size > 0) {
    harms.push({
      reason:
        `the new trust policy drops or changes the condition ${[...dropped].join('; ')} on ${BATCH_OPERATIONS_SERVICE}: ` +
        "Batch Operations jobs that are not this account's own could then act as the role (the confused deputy problem)",
      fix: 'Keep the aws:SourceAccount and aws:SourceArn conditions the stack writes (stacks/constructs/batch-operations-role.ts; policies.tf in the module).',
    });
  }
  return harms;
}

function assumeStatements(document: PolicyDocument): Statement[] {
  return document.statements.filter((s) => s.effect === 'Allow' && ASSUME_ACTIONS.some((a) => coversAction(s, a)));
}

function isBatchOperations(p: Principal): boolean {
  return p.type === 'Service' && p.id === BATCH_OPERATIONS_SERVICE;
}

function confusedDeputyConditions(statement: Statement): string[] {
  return CONFUSED_DEPUTY_KEYS.flatMap((key) => conditionsOn(statement, key));
}
