// `npm run migrate -- ...`: argument parsing and exit codes only; each command registers itself from commands/.
import { Command, CommanderError } from 'commander';
import { EXIT, RunnerError, exitCodeOf } from './errors';
import { ExitWith } from './commands/flags';
import { registerPlanCommand } from './commands/plan';
import { registerRunCommand } from './commands/run';
import { registerStatusCommand } from './commands/status';
import { registerRetryFailedCommand } from './commands/retry-failed';
import { registerVerifyCommand } from './commands/verify';
import { registerExpireCommand } from './commands/expire';

export const EXIT_CODES_HELP =
  'Exit codes: 0 done, 10 work still running (run again later), 20 needs a human, 30 another runner holds the lock,\n' +
  '2 bad arguments, 3 stack outputs missing or invalid, 4 preflight failed (nothing written), 1 unexpected error.';

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
  return program;
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
