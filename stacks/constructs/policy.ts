// Policies as data: typed statements with a purpose-naming sid, rendered by one helper into an
// aws_iam_policy_document data source, so tests read them as data and Terraform renders the JSON.
import { Construct } from 'constructs';
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';

export type PrincipalType = 'AWS' | 'Service' | '*';

export interface PolicyPrincipal {
  readonly type: PrincipalType;
  readonly identifiers: readonly string[];
}

export interface PolicyCondition {
  /** Condition operator, e.g. StringEquals, ArnLike, Bool, Null. */
  readonly test: string;
  /** Condition key, e.g. aws:SourceAccount. */
  readonly variable: string;
  readonly values: readonly string[];
}

export interface PolicyStatement {
  /** Says the statement's purpose; also the key by which merges override statements. */
  readonly sid: string;
  readonly effect: 'Allow' | 'Deny';
  /** Absent for identity policies (role policies), required for resource policies. */
  readonly principals?: readonly PolicyPrincipal[];
  readonly actions: readonly string[];
  /** Absent only in trust policies, which IAM refuses a Resource element in. */
  readonly resources?: readonly string[];
  readonly conditions?: readonly PolicyCondition[];
}

/** Anyone: for Deny statements that must hold whoever calls. */
export const ANYONE: PolicyPrincipal = { type: '*', identifiers: ['*'] };

export function servicePrincipal(service: string): PolicyPrincipal {
  return { type: 'Service', identifiers: [service] };
}

export function awsPrincipals(arns: readonly string[]): PolicyPrincipal {
  return { type: 'AWS', identifiers: arns };
}

/** Refuses statements a reviewer would refuse: wildcard actions, unnamed or repeated sids. */
export function validateStatements(statements: readonly PolicyStatement[], kind: PolicyKind = 'permissions'): void {
  const sids = new Set<string>();
  for (const s of statements) {
    if (!/^[A-Za-z0-9]+$/.test(s.sid)) {
      throw new Error(`Policy statement sid must be alphanumeric. Received: '${s.sid}'`);
    }
    if (sids.has(s.sid)) throw new Error(`Policy statement sid '${s.sid}' is used twice in one policy`);
    sids.add(s.sid);
    if (s.actions.length === 0) throw new Error(`Policy statement '${s.sid}' has no actions`);
    if (kind === 'trust' && s.resources) throw new Error(`Trust policy statement '${s.sid}' must not name resources`);
    if (kind === 'permissions' && !s.resources?.length) throw new Error(`Policy statement '${s.sid}' has no resources`);
    // A Deny may cover every action of a service (the TLS-only statement); an Allow never does.
    const wildcard = s.actions.find((a) => a === '*' || (s.effect === 'Allow' && a.includes('*')));
    if (wildcard) throw new Error(`Policy statement '${s.sid}' allows the wildcard action '${wildcard}'`);
  }
}

function renderStatement(s: PolicyStatement): DataAwsIamPolicyDocumentStatement {
  return {
    sid: s.sid,
    effect: s.effect,
    actions: [...s.actions],
    resources: s.resources ? [...s.resources] : undefined,
    principals: s.principals?.map((p) => ({ type: p.type, identifiers: [...p.identifiers] })),
    condition: s.conditions?.map((c) => ({ test: c.test, variable: c.variable, values: [...c.values] })),
  };
}

/** Trust policies (who may assume a role) have no resources; every other policy names them. */
export type PolicyKind = 'permissions' | 'trust';

export interface PolicyDocumentProps {
  readonly statements: readonly PolicyStatement[];
  /** @default 'permissions' */
  readonly kind?: PolicyKind;
  /**
   * Documents whose statements are kept; a statement of ours with the same sid replaces theirs.
   * @default none
   */
  readonly sourcePolicyDocuments?: readonly string[];
}

/** Renders typed statements into an aws_iam_policy_document; use `.json` where a policy is needed. */
export function policyDocument(scope: Construct, id: string, props: PolicyDocumentProps): DataAwsIamPolicyDocument {
  validateStatements(props.statements, props.kind);
  return new DataAwsIamPolicyDocument(scope, id, {
    version: '2012-10-17',
    sourcePolicyDocuments: props.sourcePolicyDocuments ? [...props.sourcePolicyDocuments] : undefined,
    statement: props.statements.map(renderStatement),
  });
}

/** Denies every request that does not arrive over TLS. */
export function denyInsecureTransport(bucketArn: string): PolicyStatement {
  return {
    sid: 'DenyInsecureTransport',
    effect: 'Deny',
    principals: [ANYONE],
    actions: ['s3:*'],
    resources: [bucketArn, `${bucketArn}/*`],
    conditions: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
  };
}
