// `npm run migrate -- ...`: argument parsing and exit codes only; each command registers itself from commands/.
import { Command, CommanderError } from 'commander';
import { EXIT, RunnerError, UsageError, exitCodeOf } from './errors';
import { credentialsFailure } from './aws/errors';
import { colourWanted, styleOf } from './output';
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
  '2 bad arguments, 3 stack outputs missing or invalid, 4 preflight failed (nothing written), 5 no AWS credentials,\n' +
  '1 unexpected error.';

/** What `--help` shows first: the commands people type, in the order they type them. */
export const EXAMPLES_HELP = [
  'Examples:',
  '  npm run migrate -- plan --stack prod      what would happen and what it costs; writes nothing',
  '  npm run migrate -- run --stack prod       submit and follow the jobs (safe to rerun)',
  '  npm run migrate -- status --stack prod    where each bucket stands',
  '  npm run migrate -- verify --stack prod    prove it, bucket by bucket',
  '  npm run migrate -- expire --stack prod    remove the old versions once verified (try --dry-run)',
  '  npm run migrate -- report --stack prod --format html --out report.html',
  '  Add --outputs-file outputs.json when the outputs are in a file, not in cdktf.out/stacks/<stack>.',
  '',
].join('\n');

/** The line after a bad flag or value: where the flags are, instead of all of them. */
export function helpPointer(command: string | undefined): string {
  return `Run \`npm run migrate -- ${command ? `${command} ` : ''}--help\` for the flags and examples.`;
}

export function buildProgram(): Command {
  const program = new Command('migrate')
    .description("Moves every object version of a stack's S3 buckets to SSE-KMS under the stack's own key.")
    .usage('<command> --stack <name> [flags]')
    .exitOverride()
    .addHelpText('before', EXAMPLES_HELP)
    .addHelpText(
      'after',
      `\nOutput: text on a terminal; JSON lines (one event each, docs/events.md) with --json or when piped.\n${EXIT_CODES_HELP}`,
    );
  registerRunCommand(program);
  registerPlanCommand(program);
  registerStatusCommand(program);
  registerRetryFailedCommand(program);
  registerVerifyCommand(program);
  registerExpireCommand(program);
  registerReportCommand(program);
  registerPolicyCommand(program);
  // After a bad flag, one line that points to the command's help, never the whole help.
  for (const command of program.commands) command.showHelpAfterError(helpPointer(command.name()));
  program.showHelpAfterError(helpPointer(undefined));
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
  if (argv.includes('--no-json')) return false;
  return argv.includes('--json') || !process.stdout.isTTY;
}

/** The command a usage error belongs to, for the pointer to its help. */
function commandOf(program: Command, argv: readonly string[]): string | undefined {
  const names = program.commands.map((c) => c.name());
  return names.includes(argv[0] ?? '') ? argv[0] : argv[0] === undefined || argv[0].startsWith('-') ? 'run' : undefined;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  const style = styleOf(colourWanted(process.stderr));
  program.configureOutput({ outputError: (text, write) => write(style.bad(text)) });
  for (const command of program.commands) command.configureOutput({ outputError: (text, write) => write(style.bad(text)) });
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
      if (error.exitCode !== 0 && jsonErrors(argv))
        process.stdout.write(`${JSON.stringify({ type: 'error', code: EXIT.usage, message: error.message })}\n`);
      return error.exitCode === 0 ? EXIT.done : EXIT.usage;
    }
    const message = error instanceof RunnerError ? error.message : `Unexpected error: ${(error as Error).stack ?? String(error)}`;
    process.stderr.write(`${style.bad(message)}\n`);
    if (error instanceof UsageError) process.stderr.write(`${helpPointer(commandOf(program, argv))}\n`);
    // Pipelines reading JSON lines get the error as a record too, with the exit code it ends with.
    if (jsonErrors(argv))
      process.stdout.write(
        `${JSON.stringify({ type: 'error', code: exitCodeOf(error), message: error instanceof Error ? error.message : String(error) })}\n`,
      );
    return exitCodeOf(error);
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
