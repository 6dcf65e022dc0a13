// Renders an aws_iam_policy_document data source as the AWS provider does, merge rules included:
// source documents' statements are kept in order, an inline statement with the same sid replaces
// one in place, the rest are appended. The sandbox apply and the stack tests both use it.

export interface PolicyDocumentBlock {
  readonly version?: string;
  readonly source_policy_documents?: readonly string[];
  readonly statement?: readonly StatementBlock[];
}

export interface StatementBlock {
  readonly sid?: string;
  readonly effect?: string;
  readonly actions?: readonly string[];
  readonly not_actions?: readonly string[];
  readonly resources?: readonly string[];
  readonly principals?: readonly { readonly type: string; readonly identifiers: readonly string[] }[];
  readonly condition?: readonly { readonly test: string; readonly variable: string; readonly values: readonly string[] }[];
}

export interface IamStatement {
  Sid?: string;
  Effect: string;
  Principal?: '*' | Record<string, string | string[]>;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface IamPolicy {
  Version: string;
  Statement: IamStatement[];
}

// The provider writes a one-element list as a bare string.
function collapse(values: readonly string[]): string | string[] {
  const [only, ...more] = values;
  return only !== undefined && more.length === 0 ? only : [...values];
}

export function renderStatement(block: StatementBlock): IamStatement {
  const out: IamStatement = { Effect: block.effect ?? 'Allow' };
  if (block.sid) out.Sid = block.sid;
  if (block.principals?.length) {
    if (block.principals.some((p) => p.type === '*')) {
      out.Principal = '*';
    } else {
      const principal: Record<string, string | string[]> = {};
      for (const p of block.principals) principal[p.type] = collapse(p.identifiers);
      out.Principal = principal;
    }
  }
  if (block.actions?.length) out.Action = collapse(block.actions);
  if (block.not_actions?.length) out.NotAction = collapse(block.not_actions);
  if (block.resources?.length) out.Resource = collapse(block.resources);
  if (block.condition?.length) {
    const condition: Record<string, Record<string, string | string[]>> = {};
    for (const c of block.condition) {
      condition[c.test] = { ...(condition[c.test] ?? {}), [c.variable]: collapse(c.values) };
    }
    out.Condition = condition;
  }
  return out;
}

export class PolicyMergeError extends Error {}

/** The `json` attribute of the data source. */
export function renderPolicyDocument(block: PolicyDocumentBlock): IamPolicy {
  const merged: IamStatement[] = [];
  const sidsSeen = new Set<string>();
  for (const source of block.source_policy_documents ?? []) {
    const doc = JSON.parse(source) as { Statement?: IamStatement | IamStatement[] };
    const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
    for (const s of statements) {
      if (s.Sid) {
        // The provider refuses source documents that repeat a sid.
        if (sidsSeen.has(s.Sid)) throw new PolicyMergeError(`duplicate Sid (${s.Sid}) in source_policy_documents`);
        sidsSeen.add(s.Sid);
      }
      merged.push(s);
    }
  }
  for (const blockStatement of block.statement ?? []) {
    const rendered = renderStatement(blockStatement);
    const at = rendered.Sid ? merged.findIndex((s) => s.Sid === rendered.Sid) : -1;
    if (at >= 0) merged[at] = rendered;
    else merged.push(rendered);
  }
  return { Version: block.version ?? '2012-10-17', Statement: merged };
}
