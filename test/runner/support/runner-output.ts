// Test support: the runner's JSON-lines output read back as records, and a run's outcome as one
// value. A stream may cut a line anywhere, so lines are only parsed once their newline has arrived.
import { PassThrough } from 'node:stream';
import { runMigration, type RunOptions } from '../../../runner/commands/run';
import { createOutput, type Output } from '../../../runner/output';
import { messageOf, type EngineResult } from '../../../runner/result';
import type { MigrationWorld } from './migration-world';

/** One JSON line the runner wrote. Tests read its fields with expect, so they are left open. */
export type OutputRecord = Record<string, any>;

/**
 * Splits chunks of text into lines, holding back a partial line until the chunk that ends it:
 * `push('{"a":'); push('1}\n')` calls `onLine('{"a":1}')` once. Empty lines are dropped.
 */
export function lineSplitter(onLine: (line: string) => void): { push(chunk: Buffer | string): void } {
  let partial = '';
  return {
    push(chunk) {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (line) onLine(line);
    },
  };
}

/** The records in a finished run's whole output, such as a CLI run's stdout. */
export function recordsOf(text: string): OutputRecord[] {
  const records: OutputRecord[] = [];
  const lines = lineSplitter((line) => records.push(JSON.parse(line) as OutputRecord));
  lines.push(text.endsWith('\n') ? text : `${text}\n`);
  return records;
}

export interface CapturedOutput {
  /** Hand this to the runner: JSON lines, as with `--json`. */
  readonly output: Output;
  /** The stream that output writes to. */
  readonly stream: PassThrough;
  /** Every record written so far, in order; the same array grows as the runner writes. */
  readonly records: OutputRecord[];
  /** The records of one type. */
  readonly of: (type: string) => OutputRecord[];
  /** Called with each record as it arrives, e.g. to abort a run at some point of its progress. */
  readonly onRecord: (listener: (record: OutputRecord) => void) => void;
  /** Everything written, as written. */
  readonly text: () => string;
}

export function captureOutput(): CapturedOutput {
  const stream = new PassThrough();
  const records: OutputRecord[] = [];
  const listeners: ((record: OutputRecord) => void)[] = [];
  let text = '';
  const lines = lineSplitter((line) => {
    const record = JSON.parse(line) as OutputRecord;
    records.push(record);
    for (const listener of listeners) listener(record);
  });
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
    lines.push(chunk);
  });
  return {
    output: createOutput({ json: true, stream }),
    stream,
    records,
    of: (type) => records.filter((r) => r.type === type),
    onRecord: (listener) => void listeners.push(listener),
    text: () => text,
  };
}

/** Output nobody reads: JSON lines into a stream that discards them. */
export function quietOutput(): Output {
  return createOutput({ json: true, stream: new PassThrough().resume() });
}

/**
 * An output that passes every record on to `inner` and calls `then` right after the `nth` record of
 * type `after`: a run killed (`then` throws) or a fault injected at a known point of its progress.
 */
export function actingOutput(
  inner: Output,
  { after, nth, then }: { readonly after: string; readonly nth: number; readonly then: () => void },
): Output {
  let seen = 0;
  return {
    json: inner.json,
    progress: () => undefined,
    emit(type, data, human) {
      inner.emit(type, data, human);
      if (type === after && ++seen === nth) then();
    },
  };
}

/** `then` for actingOutput: dies as a SIGKILL would, before the run can write anything more. */
export function kill(): never {
  throw new Error('killed');
}

export interface Outcome {
  readonly code: number;
  /** The message of the error that stopped the run or that it threw, else ''. */
  readonly message: string;
}

/**
 * A runner command's outcome: the exit code and message of the result it returned, or of the error
 * it threw (1 for an error without an exit code, as the CLI maps it).
 */
export async function outcomeOf(run: Promise<EngineResult>): Promise<Outcome> {
  return run.then(
    (result) => ({ code: result.exitCode, message: messageOf(result) }),
    (e: { exitCode?: number; message: string }) => ({ code: e.exitCode ?? 1, message: e.message }),
  );
}

export interface MigrationRun extends Outcome {
  readonly records: OutputRecord[];
  /** The raw JSON lines. */
  readonly text: string;
}

/** `migrate run` in the world with `options`, its output captured. */
export async function runMigrationIn(world: MigrationWorld, options: RunOptions): Promise<MigrationRun> {
  const captured = captureOutput();
  const outcome = await outcomeOf(runMigration(world.context(), options, captured.output));
  return { ...outcome, records: captured.records, text: captured.text() };
}
