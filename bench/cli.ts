// Part 6 of the bench: how long `npm run migrate -- --help` takes, as a person types it (npm, node,
// the compiled runner), run N times under GNU time; beside it the same help through tsx, as
// `npm run migrate` ran before runner/launch.mjs. The median is held to the target.
import * as path from 'node:path';
import { ROOT, timed } from './lib/child';

export interface CliRun {
  /** What was timed, as typed. */
  readonly command: string;
  readonly runs: number;
  /** Wall seconds of each run, in order (the first may compile the runner). */
  readonly wallSeconds: readonly number[];
  readonly medianSeconds: number;
}

export interface CliResult {
  readonly help: CliRun;
  readonly helpThroughTsx: CliRun;
}

/** The target of `npm run migrate -- --help`, median wall seconds. */
export const CLI_HELP_TARGET_SECONDS = 0.8;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : Math.round(((sorted[mid - 1]! + sorted[mid]!) / 2) * 1000) / 1000;
}

async function timeRuns(
  command: string,
  file: string,
  args: readonly string[],
  runs: number,
  log: (line: string) => void,
): Promise<CliRun> {
  const wallSeconds: number[] = [];
  for (let i = 0; i < runs; i++) {
    const run = await timed(file, args, { timeoutMs: 60_000 });
    if (!run.stdout.startsWith('Examples:')) throw new Error(`${command} did not print the help: ${run.stderr.slice(0, 400)}`);
    wallSeconds.push(run.wallSeconds);
  }
  const result = { command, runs, wallSeconds, medianSeconds: median(wallSeconds) };
  log(`cli: ${command}: median ${result.medianSeconds} s over ${runs} runs`);
  return result;
}

export async function benchCli(runs: number, log: (line: string) => void): Promise<CliResult> {
  const args = ['run', '-s', 'migrate', '--', '--help'];
  // One run first, not counted: it compiles the runner when a source changed since the last call.
  await timed('npm', args, { timeoutMs: 120_000 });
  const help = await timeRuns('npm run migrate -- --help', 'npm', args, runs, log);
  const helpThroughTsx = await timeRuns(
    'tsx runner/cli.ts --help',
    path.join(ROOT, 'node_modules/.bin/tsx'),
    ['runner/cli.ts', '--help'],
    Math.min(runs, 5),
    log,
  );
  return { help, helpThroughTsx };
}
