// `npm run migrate -- ...`: argument parsing and exit codes only; the work is in commands/.
import { Command, CommanderError, Option } from 'commander';
import { EXIT, RunnerError, UsageError, exitCodeOf } from './errors';
import { openContext, type GlobalOptions } from './commands/context';
import { preflight } from './commands/preflight';
import { makePlan, reportPlan } from './commands/plan';
import { createOutput } from './output';

interface CommonFlags {
  stack?: string;
  outputsFile?: string;
  json?: boolean;
  maxInventoryAgeHours?: string;
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
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv], { from: 'user' });
    return EXIT.done;
  } catch (error) {
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
