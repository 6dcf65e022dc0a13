// `npm run migrate -- ...`: argument parsing and exit codes only; the work is in commands/.
import { Command, CommanderError, Option } from 'commander';
import { EXIT, RunnerError, UsageError, exitCodeOf } from './errors';
import { openContext, type GlobalOptions } from './commands/context';
import { preflight } from './commands/preflight';
import { makePlan, reportPlan } from './commands/plan';
import { runMigration } from './commands/run';
import { createOutput } from './output';

interface CommonFlags {
  stack?: string;
  outputsFile?: string;
  json?: boolean;
  maxInventoryAgeHours?: string;
}

interface RunFlags extends CommonFlags {
  follow: boolean;
  confirmationRequired?: boolean;
  priority: string;
  lockStaleMinutes: string;
}

function positiveNumber(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a positive number. Received: ${value}`);
  return n;
}

function globalOptions(flags: CommonFlags): GlobalOptions {
  if (!flags.stack) throw new UsageError('--stack is required: the stack (environment) to migrate, e.g. --stack prod');
  return { stack: flags.stack, outputsFile: flags.outputsFile, json: flags.json ?? !process.stdout.isTTY };
}

function maxAge(flags: CommonFlags): number | undefined {
  if (flags.maxInventoryAgeHours === undefined) return undefined;
  const hours = Number(flags.maxInventoryAgeHours);
  if (!Number.isFinite(hours) || hours <= 0) {
    throw new UsageError(`--max-inventory-age-hours must be a positive number. Received: ${flags.maxInventoryAgeHours}`);
  }
  return hours;
}

function withCommonOptions(command: Command): Command {
  return command
    .option('--stack <name>', 'stack (environment) whose outputs to use, e.g. prod')
    .option('--outputs-file <file>', 'outputs written by `cdktf deploy --outputs-file` or `terraform output -json` (default: terraform output in cdktf.out/stacks/<stack>)')
    .option('--json', 'JSON lines on stdout (default when stdout is not a terminal)')
    .addOption(new Option('--max-inventory-age-hours <hours>', 'refuse an inventory older than this (default 48, weekly reports 192)'));
}

export function buildProgram(): Command {
  const program = new Command('migrate')
    .description(
      'Moves every object version of the stack\'s buckets to SSE-KMS under its key with S3 Batch Operations.\n\n' +
        'Exit codes: 0 done, 10 work still running (run again later), 20 needs a human, 30 another runner holds the lock,\n' +
        '2 bad arguments, 3 stack outputs missing or invalid, 4 preflight failed (nothing written), 1 unexpected error.',
    )
    .exitOverride()
    .showHelpAfterError();

  withCommonOptions(program.command('plan'))
    .description('preflight, then classify every version of the newest inventory with Athena and estimate cost and duration; writes nothing')
    .action(async (flags: CommonFlags) => {
      const options = globalOptions(flags);
      const maxInventoryAgeHours = maxAge(flags);
      const output = createOutput({ json: options.json });
      const ctx = openContext(options);
      try {
        const checked = await preflight(ctx, { maxInventoryAgeHours });
        reportPlan(await makePlan(ctx, checked, output), output);
      } finally {
        ctx.clients.destroy();
      }
    });
  withCommonOptions(program.command('run', { isDefault: true }))
    .description(
      'preflight, plan, write manifests and submit one Batch Operations job per bucket, operation and storage class (never twice), ' +
        'then follow the jobs and read their completion reports. Safe to rerun at any point.',
    )
    .option('--no-follow', 'submit and return without following the jobs (exit 10 while they run)')
    .option('--confirmation-required', 'jobs wait (Suspended) until confirmed in the console or with aws s3control update-job-status')
    .option('--priority <n>', 'Batch Operations job priority', '10')
    .option('--lock-stale-minutes <n>', 'take over a lock whose holder has been silent this long', '30')
    .action(async (flags: RunFlags) => {
      const options = globalOptions(flags);
      const maxInventoryAgeHours = maxAge(flags);
      const priority = positiveNumber('--priority', flags.priority);
      const lockStaleAfterMs = positiveNumber('--lock-stale-minutes', flags.lockStaleMinutes) * 60_000;
      const output = createOutput({ json: options.json });
      const ctx = openContext(options);
      // Ctrl-C stops following; the jobs keep running and the state stays consistent.
      const abort = new AbortController();
      const onSignal = () => abort.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        const code = await runMigration(
          ctx,
          { follow: flags.follow, confirmationRequired: flags.confirmationRequired ?? false, priority, maxInventoryAgeHours, lockStaleAfterMs, signal: abort.signal },
          output,
        );
        if (code !== EXIT.done) throw new ExitWith(code);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        ctx.clients.destroy();
      }
    });
  return program;
}

/** A command that ends with a non-zero exit code that is not an error (work still running). */
class ExitWith extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv], { from: 'user' });
    return EXIT.done;
  } catch (error) {
    if (error instanceof ExitWith) return error.code;
    if (error instanceof CommanderError) {
      // --help and --version end through here too, with exit code 0.
      return error.exitCode === 0 ? EXIT.done : EXIT.usage;
    }
    const message = error instanceof RunnerError ? error.message : `Unexpected error: ${(error as Error).stack ?? String(error)}`;
    process.stderr.write(`${message}\n`);
    return exitCodeOf(error);
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
