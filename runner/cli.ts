// `npm run migrate -- ...`: argument parsing and exit codes only; each command registers itself from commands/.
import { Command, CommanderError } from 'commander';
import { EXIT, RunnerError, UsageError, exitCodeOf } from './errors';
import { credentialsFailure } from './aws/errors';
import { ExitWith } from './commands/flags';
import { registerPlanCommand } from './commands/plan';
import { registerRunCommand } from './commands/run';
import { registerStatusCommand } from './commands/status';
import { registerRetryFailedCommand } from './commands/retry-failed';
import { registerVerifyCommand } from './commands/verify';
import { registerExpireCommand } from './commands/expire';
import { registerReportCommand } from './commands/report';
import { registerPolicyCommand } from './commands/policy';

export const EXIT_CODES_HELP =
  'Exit codes: 0 done, 10 work still running (run again later), 20 needs a human, 30 another runner holds the lock,\n' +
  '2 bad arguments, 3 stack outputs missing or invalid, 4 preflight failed (nothing written), 5 no AWS credentials, 1 unexpected error.';

export function buildProgram(): Command {
  const program = new Command('migrate')
    .description(`Moves every object version of the stack's buckets to SSE-KMS under its key with S3 Batch Operations.\n\n${EXIT_CODES_HELP}`)
    .exitOverride()
    .showHelpAfterError();
  registerRunCommand(program);
  registerPlanCommand(program);
  registerStatusCommand(program);
  registerRetryFailedCommand(program);
  registerVerifyCommand(program);
  registerExpireCommand(program);
  registerReportCommand(program);
  registerPolicyCommand(program);
  return program;
}

/**
 * `run` is the default command, so commander would read an unknown command as an argument of `run`
 * ("too many arguments"); a first word that is no command is refused as what it is.
 */
function unknownCommand(program: Command, argv: readonly string[]): UsageError | undefined {
  const first = argv[0];
  if (first === undefined || first.startsWith('-')) return undefined;
  const names = program.commands.map((c) => c.name());
  return names.includes(first) ? undefined : new UsageError(`unknown command '${first}': use one of ${names.join(', ')} (see --help)`);
}

/** Whether errors go to stdout as a JSON line too: --json, or stdout is not a terminal, as for output. */
function jsonErrors(argv: readonly string[]): boolean {
  return argv.includes('--json') || !process.stdout.isTTY;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    const unknown = unknownCommand(program, argv);
    if (unknown) throw unknown;
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.done;
  } catch (caught) {
    if (caught instanceof ExitWith) return caught.code;
    // Missing credentials surface from whichever call came first, often wrapped: one documented exit for all.
    const error = credentialsFailure(caught) ?? caught;
    if (error instanceof CommanderError) {
      // --help and --version end through here too, with exit code 0; commander printed its message.
      if (error.exitCode !== 0 && jsonErrors(argv)) process.stdout.write(`${JSON.stringify({ type: 'error', code: EXIT.usage, message: error.message })}\n`);
      return error.exitCode === 0 ? EXIT.done : EXIT.usage;
    }
    const message = error instanceof RunnerError ? error.message : `Unexpected error: ${(error as Error).stack ?? String(error)}`;
    process.stderr.write(`${message}\n`);
    // Pipelines reading JSON lines get the error as a record too, with the exit code it ends with.
    if (jsonErrors(argv)) process.stdout.write(`${JSON.stringify({ type: 'error', code: exitCodeOf(error), message: error instanceof Error ? error.message : String(error) })}\n`);
    return exitCodeOf(error);
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
