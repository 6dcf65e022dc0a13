// The plan guard: judges every resource change of a plan against the destroy and update rules. Pure, no I/O.
import { CHANGE_KINDS, ChangeKind, changeKind, describeActions, explainActionReason } from './change-kind';
import { Finding, finding } from './finding';
import { GUARDED_TYPES, GuardedType } from './guarded-types';
import type { ResourceChange, TerraformPlan } from './plan-json';
import { StackInPlan, stackInPlan } from './stack-in-plan';
import { judgeUpdate } from './update-rules';

export interface GuardOptions {
  /**
   * Someone checked that no Batch Operations job of the stack is unfinished: the role may be
   * destroyed or replaced.
   * @default false
   */
  readonly batchJobsFinished?: boolean;
  /**
   * Key users (principal ARNs) whose removal from the key policy is intended.
   * @default []
   */
  readonly allowedKeyUserRemovals?: readonly string[];
  /**
   * Readers and CloudFront distributions (ARNs) whose removal from a bucket's key policy statement is intended.
   * @default []
   */
  readonly allowedReaderRemovals?: readonly string[];
}

export interface GuardReport {
  /** Resource changes read from the plan, data source reads included. */
  readonly examined: number;
  readonly counts: Readonly<Record<ChangeKind, number>>;
  readonly findings: readonly Finding[];
  readonly refused: number;
}

/** Judges every resource change of a plan; a refusal names the address, the reason and the fix. */
export function guardPlan(plan: TerraformPlan, options: GuardOptions = {}): GuardReport {
  const counts = Object.fromEntries(CHANGE_KINDS.map((k) => [k, 0])) as Record<ChangeKind, number>;
  const findings: Finding[] = [];
  const stack = stackInPlan(plan);
  for (const change of plan.resource_changes) {
    const kind = changeKind(change.change.actions);
    counts[kind]++;
    // Data sources share type names with resources (data.aws_s3_bucket_policy reads an existing policy).
    if (change.mode !== 'managed') continue;
    findings.push(...judge(change, kind, options, stack));
  }
  return { examined: plan.resource_changes.length, counts, findings, refused: findings.filter((f) => f.verdict === 'refused').length };
}

function judge(change: ResourceChange, kind: ChangeKind, options: GuardOptions, stack: StackInPlan): Finding[] {
  const guarded = GUARDED_TYPES[change.type];
  if (guarded && (kind === 'destroy' || kind === 'replace' || kind === 'unrecognised')) {
    return [judgeRemoval(change, kind, guarded, options, stack)];
  }
  if (guarded && kind === 'forget') {
    return [
      finding(
        change,
        kind,
        'allowed',
        guarded.subject(change),
        'Terraform stops managing it; the object itself stays in AWS, unchanged',
        'Nothing to do if a `removed` block says this on purpose.',
      ),
    ];
  }
  if (kind === 'update')
    return judgeUpdate(change, {
      allowedKeyUserRemovals: options.allowedKeyUserRemovals ?? [],
      allowedReaderRemovals: options.allowedReaderRemovals ?? [],
      stack,
    });
  return [];
}

function judgeRemoval(change: ResourceChange, kind: ChangeKind, guarded: GuardedType, options: GuardOptions, stack: StackInPlan): Finding {
  const subject = guarded.subject(change);
  const deposed = change.deposed ? ` (deposed object ${change.deposed}, left by an interrupted replace)` : '';
  if (kind === 'unrecognised') {
    return finding(
      change,
      kind,
      'refused',
      subject,
      `Actions ${JSON.stringify(change.change.actions)} are not in the JSON plan format this guard knows, so it cannot tell whether they destroy ${subject}`,
      'Review the plan by hand (`terraform show plan.out`) and update the guard for this Terraform version.',
    );
  }
  const why = explainActionReason(change.action_reason, change.change.replace_paths);
  const what = `The plan would ${describeActions(change.change.actions)} ${subject}${deposed}${why ? ` because ${why}` : ''}`;
  if (guarded.whileJobsRun && options.batchJobsFinished) {
    return finding(
      change,
      kind,
      'allowed',
      subject,
      `${what}; allowed by --batch-jobs-finished`,
      'Run no migration until the apply has finished.',
    );
  }
  return finding(change, kind, 'refused', subject, `${what}. ${guarded.harm(change)}`, guarded.fix(change, stack));
}
