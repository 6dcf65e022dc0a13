// `npm run plan-guard -- plan.json`: argument parsing, output and exit codes of the plan guard; the rules live in rules.ts and the files it imports.
import type { Writable } from 'node:stream';
import { Command, CommanderError } from 'commander';
// The runner's formatter: human text on a terminal, JSON lines otherwise. Nothing else of runner/ is used.
import { Output, createOutput } from './output';
import { HOW_TO_MAKE_A_PLAN_JSON, PlanFileError, readPlanFile } from './plan-json';
import { CHANGE_KINDS, describeActions } from './change-kind';
import type { Finding } from './finding';
import { GuardReport, guardPlan } from './rules';

/** Exit codes a pipeline can branch on; 0 is the only one that lets an apply go ahead. */
export const PLAN_GUARD_EXIT = {
  /** Every change examined is routine: apply may go ahead. */
  safe: 0,
  /** Unexpected failure: a bug in the guard. */
  error: 1,
  /** Bad flags or arguments. */
  usage: 2,
  /** The file is missing, unreadable, not a Terraform JSON plan, or a plan that errored. */
  invalidPlan: 3,
  /** At least one change is refused: do not apply; a person must decide. */
  refused: 20,
} as const;
export type PlanGuardExit = (typeof PLAN_GUARD_EXIT)[keyof typeof PLAN_GUARD_EXIT];

export const PLAN_GUARD_EXIT_HELP =
  'Exit codes: 0 safe to apply, 20 a change is refused (do not apply), 3 the file is not a readable Terraform JSON plan, ' +
  '2 bad arguments, 1 unexpected error.';

interface Streams {
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: Writable;
}

interface PlanGuardFlags {
  json?: boolean;
  batchJobsFinished?: boolean;
  allowKeyUserRemoval?: string[];
  allowReaderRemoval?: string[];
}

/** Thrown by the action to carry the exit code out of commander. */
class Exit extends Error {
  constructor(readonly code: PlanGuardExit) {
    super(`exit ${code}`);
  }
}

class UsageError extends Error {}

function buildProgram(streams: Streams): Command {
  return new Command('plan-guard')
    .description(
      'Refuses a Terraform plan that would destroy or replace what the migration cannot lose: the KMS key and its alias; ' +
        "a migrated bucket's encryption, policy, versioning or inventory configuration; the inventory and reports buckets; " +
        'the Batch Operations role while jobs may run. Also refuses updates in place into the same harms: the key disabled, ' +
        "a key policy that removes a key user or a bucket's reader or distribution, or locks out the account root, the role or the users, the alias re-targeted, " +
        "default encryption, versioning or inventory weakened, the role's trust opened. Other updates and creates pass.\n\n" +
        `Make the file: ${HOW_TO_MAKE_A_PLAN_JSON}.\n\n${PLAN_GUARD_EXIT_HELP}`,
    )
    .argument('<plan.json>', 'output of `terraform show -json <planfile>`')
    .option(
      '--batch-jobs-finished',
      'you checked that no S3 Batch Operations job of the stack is unfinished: allow destroying or replacing the Batch Operations role',
    )
    .option(
      '--allow-key-user-removal <arn>',
      'a key user (principal ARN) the plan may remove from the key policy on purpose; repeat for each',
      (arn: string, previous: string[] | undefined) => [...(previous ?? []), arn],
    )
    .option(
      '--allow-reader-removal <arn>',
      "a bucket's reader (principal ARN) or CloudFront distribution (ARN) the plan may take out of the key policy on purpose; repeat for each",
      (arn: string, previous: string[] | undefined) => [...(previous ?? []), arn],
    )
    .option('--json', 'JSON lines on stdout (default when stdout is not a terminal)')
    .option('--no-json', 'human text even when stdout is not a terminal, e.g. in a CI log')
    .exitOverride()
    .configureOutput({ writeOut: (s) => streams.stdout.write(s), writeErr: (s) => streams.stderr.write(s) })
    .showHelpAfterError()
    .action((file: string, flags: PlanGuardFlags) => {
      const allowedKeyUserRemovals = flags.allowKeyUserRemoval ?? [];
      for (const arn of allowedKeyUserRemovals) {
        if (!/^arn:aws[a-z-]*:iam::\d{12}:\S+$/.test(arn)) {
          throw new UsageError(
            `--allow-key-user-removal must be an IAM principal ARN, e.g. arn:aws:iam::111122223333:role/app. Received: ${arn}`,
          );
        }
      }
      const allowedReaderRemovals = flags.allowReaderRemoval ?? [];
      for (const arn of allowedReaderRemovals) {
        if (!/^arn:aws[a-z-]*:(iam::\d{12}|cloudfront::\d{12}):\S+$/.test(arn)) {
          throw new UsageError(
            `--allow-reader-removal must be an IAM principal ARN or a CloudFront distribution ARN, e.g. arn:aws:iam::111122223333:role/reporting. Received: ${arn}`,
          );
        }
      }
      const output = createOutput({ json: flags.json, stream: streams.stdout });
      let plan;
      try {
        plan = readPlanFile(file);
      } catch (error) {
        if (!(error instanceof PlanFileError)) throw error;
        output.emit(
          'invalid-plan',
          { file: error.file, problem: error.problem, fix: HOW_TO_MAKE_A_PLAN_JSON },
          () => `Plan guard: ${error.message}`,
        );
        if (output.json) streams.stderr.write(`${error.message}\n`);
        throw new Exit(PLAN_GUARD_EXIT.invalidPlan);
      }
      const report = guardPlan(plan, { batchJobsFinished: flags.batchJobsFinished, allowedKeyUserRemovals, allowedReaderRemovals });
      printReport(output, file, plan.terraform_version, report);
      throw new Exit(report.refused > 0 ? PLAN_GUARD_EXIT.refused : PLAN_GUARD_EXIT.safe);
    });
}

function printReport(output: Output, file: string, terraformVersion: string | undefined, report: GuardReport): void {
  for (const f of report.findings) {
    output.emit('finding', { ...f }, () => formatFinding(f));
  }
  const changes = CHANGE_KINDS.filter((k) => report.counts[k] > 0).map((k) => `${report.counts[k]} ${k}`);
  const allowed = report.findings.length - report.refused;
  output.emit(
    'summary',
    {
      file,
      terraformVersion: terraformVersion ?? null,
      examined: report.examined,
      counts: report.counts,
      refused: report.refused,
      allowed,
      verdict: report.refused > 0 ? 'refused' : 'safe',
    },
    () =>
      `Plan guard examined ${report.examined} resource changes in ${file}${changes.length > 0 ? ` (${changes.join(', ')})` : ''}: ` +
      (report.refused > 0
        ? `${report.refused} refused. Do not apply this plan.`
        : `nothing refused${allowed > 0 ? `, ${allowed} let through as shown above` : ''}. Safe to apply.`),
  );
}

function formatFinding(f: Finding): string {
  return [
    `${f.verdict === 'refused' ? 'REFUSED' : 'allowed'}  ${f.address}: ${describeActions(f.actions)}`,
    `  ${f.reason}.`,
    `  ${f.verdict === 'refused' ? 'Fix' : 'Note'}: ${f.fix}`,
  ].join('\n');
}

/** Runs the guard; returns the exit code instead of exiting, so tests can call it in-process. */
export function main(argv: readonly string[], streams: Streams = { stdout: process.stdout, stderr: process.stderr }): PlanGuardExit {
  try {
    buildProgram(streams).parse([...argv], { from: 'user' });
    // Unreachable: the action always throws its exit code.
    return PLAN_GUARD_EXIT.error;
  } catch (error) {
    if (error instanceof Exit) return error.code;
    if (error instanceof CommanderError) return error.exitCode === 0 ? PLAN_GUARD_EXIT.safe : PLAN_GUARD_EXIT.usage;
    if (error instanceof UsageError) {
      streams.stderr.write(`${error.message}\n`);
      return PLAN_GUARD_EXIT.usage;
    }
    streams.stderr.write(`Unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    return PLAN_GUARD_EXIT.error;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
