// Flags every command shares, their validation, and the wrapper that opens a command's context.
import { appendFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { ExitCode, UsageError } from '../errors';
import { stackNameProblem } from '../../stacks/outputs';
import { Output, SAMPLES_SHOWN, createOutput } from '../output';
import { checkOutFile } from '../out-file';
import type { GlobalOptions, RunContext } from '../context';
import type { EngineResult } from '../result';

export interface CommonFlags {
  stack?: string;
  outputsFile?: string;
  json?: boolean;
  samples?: boolean;
  eventsFile?: string;
  maxInventoryAgeHours?: string;
}

/** A command's examples, shown first in its --help. */
export function examplesHelp(lines: readonly string[]): string {
  return ['Examples:', ...lines, ''].join('\n');
}

export function withCommonOptions(command: Command): Command {
  return command
    .option('--stack <name>', 'stack (environment) whose outputs to use, e.g. prod')
    .option(
      '--outputs-file <file>',
      'outputs written by `cdktf deploy --outputs-file` or `terraform output -json` (default: terraform output in cdktf.out/stacks/<stack>)',
    )
    .option('--json', 'JSON lines on stdout, one event each (default when stdout is not a terminal; types in docs/events.md)')
    .option('--no-json', 'human text even when stdout is not a terminal')
    .option('--samples', `every entry of the sample lists in JSON lines (default: the first ${SAMPLES_SHOWN}, and how many were left out)`)
    .option('--events-file <file>', 'also append every event as a JSON line to this file (human text stays on stdout)')
    .addOption(new Option('--max-inventory-age-hours <hours>', 'refuse an inventory older than this (default 48, weekly reports 192)'));
}

// Flag values are plain decimal digits. Number() alone would also take '1e3', '0x10', '0b11',
// ' 7 ', '' (as 0) and 'Infinity', none of which a person means as a count or a duration.
const WHOLE_NUMBER = /^\d+$/;
const DECIMAL_NUMBER = /^\d+(?:\.\d+)?$/;

/** A received flag value as a message shows it: quoted when it is empty or holds white space. */
function received(value: string): string {
  return /^\S+$/.test(value) ? value : JSON.stringify(value);
}

/** A count (calls in flight, versions, a job priority): decimal digits only, from `min` (default 1) to `max`. */
export function wholeNumber(flag: string, value: string, range: { readonly min?: number; readonly max?: number } = {}): number {
  const min = range.min ?? 1;
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  const n = WHOLE_NUMBER.test(value) ? Number(value) : Number.NaN;
  if (!(n >= min && n <= max)) {
    // Without a maximum of its own, a flag still stops where integers stop being exact.
    const bounds = range.max === undefined && !(n > max) ? `of at least ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`${flag} must be a whole number ${bounds}, in decimal digits. Received: ${received(value)}`);
  }
  return n;
}

/** A positive duration that may have a fraction (1.5 hours): decimal digits with at most one point. */
export function positiveDecimal(flag: string, value: string): number {
  const n = DECIMAL_NUMBER.test(value) ? Number(value) : Number.NaN;
  if (!(Number.isFinite(n) && n > 0)) {
    throw new UsageError(`${flag} must be a positive number in decimal digits, such as 30 or 0.5. Received: ${received(value)}`);
  }
  return n;
}

// S3 Control CreateJob's Priority (JobPriority): an integer from 0 to 2^31 - 1; higher runs first.
const JOB_PRIORITY = { min: 0, max: 2_147_483_647 } as const;

/** --priority of the commands that create Batch Operations jobs (run, retry-failed). */
export function jobPriority(value: string): number {
  return wholeNumber('--priority', value, JOB_PRIORITY);
}

/** The lock-taking commands' flags (run, verify, expire, retry-failed). */
export interface LockFlags {
  lockStaleMinutes: string;
}

/**
 * --lock-stale-minutes, defined once for every command that takes the stack's lock: the lock's
 * conflict message (runner/state.ts) tells the user to pass it, so each of them must accept it.
 */
export function withLockOption(command: Command): Command {
  return command.option('--lock-stale-minutes <minutes>', 'take over a lock whose holder has been silent this long', '30');
}

/** How long a lock's holder may stay silent before it is taken over, from --lock-stale-minutes. */
export function lockStaleAfterMs(flags: LockFlags): number {
  return positiveDecimal('--lock-stale-minutes', flags.lockStaleMinutes) * 60_000;
}

export function globalOptions(flags: CommonFlags): GlobalOptions {
  if (!flags.stack) throw new UsageError('--stack is required: the stack (environment) to migrate, e.g. --stack prod');
  // Checked before anything else: the name becomes a path (cdktf.out/stacks/<stack>) and a key prefix.
  const problem = stackNameProblem(flags.stack);
  if (problem) throw new UsageError(`--stack: ${problem}`);
  // Every command takes the common flags; one that does not use this one still refuses a bad value.
  maxInventoryAge(flags);
  return { stack: flags.stack, outputsFile: flags.outputsFile, json: flags.json ?? !process.stdout.isTTY };
}

export function maxInventoryAge(flags: CommonFlags): number | undefined {
  return flags.maxInventoryAgeHours === undefined ? undefined : positiveDecimal('--max-inventory-age-hours', flags.maxInventoryAgeHours);
}

/** Ends a command with an exit code that is not an error (work still running). */
export class ExitWith extends Error {
  constructor(readonly code: ExitCode) {
    super(`exit ${code}`);
  }
}

/**
 * Runs a command body with its context and output; flags are validated by the caller before this,
 * so a bad flag never waits on AWS. Clients are closed however the body ends.
 */
export async function withContext(
  flags: CommonFlags,
  body: (ctx: RunContext, output: Output) => Promise<EngineResult | void>,
): Promise<void> {
  const options = globalOptions(flags);
  const eventsFile = flags.eventsFile === undefined ? undefined : checkOutFile('--events-file', flags.eventsFile);
  const output = createOutput({
    json: options.json,
    samples: flags.samples ?? false,
    // Appended line by line, synchronously: a run that dies leaves every event before it in the file.
    ...(eventsFile ? { events: { write: (line: string) => appendFileSync(eventsFile, line) } } : {}),
  });
  // Loaded on use, with the AWS SDK: --help and a bad flag answer without it.
  const { openContext } = await import('../context');
  const ctx = openContext(options);
  try {
    const result = await body(ctx, output);
    if (result === undefined || result.outcome === 'done') return;
    // A command's action can end only by returning or throwing: an error the runner explained goes
    // back up as that error, so cli.ts prints it and maps its exit code as it does every other.
    if ('error' in result) throw result.error;
    throw new ExitWith(result.exitCode);
  } finally {
    ctx.clients.destroy();
  }
}
