// How an engine entry point ends, as one value: the outcome a pipeline branches on, its exit code,
// and, when the runner stopped for a reason it can name, the typed error that says what to do.
import { EXIT, NeedsHumanError, PreflightError, RunnerError } from './errors';

type Outcome = keyof typeof EXIT;

/** An end that needs no explanation beyond the output already written. */
interface Reached<O extends Outcome> {
  readonly outcome: O;
  readonly exitCode: (typeof EXIT)[O];
}

/** An end the runner explains: a refusal, a conflict with another runner, failed work, a gate that cannot tell. */
interface Stopped<O extends Outcome> extends Reached<O> {
  /** What stopped the run, why, and what to do; the CLI prints its message as it prints any error. */
  readonly error: RunnerError;
}

/**
 * What `runMigration`, `retryFailed`, `verifyMigration`, `expireNoncurrentVersions`, `showStatus`
 * and `writeReport` return. Outcomes are values; only a bug or an AWS failure the runner cannot
 * explain (exit 1) is thrown.
 */
export type EngineResult =
  | Reached<'done'>
  | Reached<'inProgress'>
  // `status` reports a bucket that needs a person in its own output, with no error of its own.
  | Reached<'needsHuman'>
  | Stopped<'needsHuman'>
  | Stopped<'conflict'>
  | Stopped<'preflight'>
  | Stopped<'usage'>
  | Stopped<'outputs'>
  | Stopped<'credentials'>;

export const DONE = { outcome: 'done', exitCode: EXIT.done } as const satisfies EngineResult;
export const IN_PROGRESS = { outcome: 'inProgress', exitCode: EXIT.inProgress } as const satisfies EngineResult;
export const NEEDS_HUMAN = { outcome: 'needsHuman', exitCode: EXIT.needsHuman } as const satisfies EngineResult;

/** A person must decide (failed work, unconfirmed writes, a verification that failed): `message` says what and how. */
export function needsHuman(message: string): EngineResult {
  return { outcome: 'needsHuman', exitCode: EXIT.needsHuman, error: new NeedsHumanError(message) };
}

/** A check refused to let the run go ahead; nothing was written. Each problem says what to fix. */
export function refused(problems: readonly string[]): EngineResult {
  return { outcome: 'preflight', exitCode: EXIT.preflight, error: new PreflightError(problems) };
}

/** The outcome an error names, or undefined for one that is no outcome (exit 1: a bug, an unexplained AWS failure). */
export function stoppedBy(error: RunnerError): EngineResult | undefined {
  switch (error.exitCode) {
    case EXIT.needsHuman:
      return { outcome: 'needsHuman', exitCode: EXIT.needsHuman, error };
    case EXIT.conflict:
      return { outcome: 'conflict', exitCode: EXIT.conflict, error };
    case EXIT.preflight:
      return { outcome: 'preflight', exitCode: EXIT.preflight, error };
    case EXIT.usage:
      return { outcome: 'usage', exitCode: EXIT.usage, error };
    case EXIT.outputs:
      return { outcome: 'outputs', exitCode: EXIT.outputs, error };
    case EXIT.credentials:
      return { outcome: 'credentials', exitCode: EXIT.credentials, error };
    default:
      return undefined;
  }
}

/**
 * Runs an engine's body and returns its end as a value. Deep inside an engine a typed error is the
 * plainest way to stop (a lock lost mid-pass, a write not confirmed, a preflight refusal), so this
 * is the one place such an error turns into the outcome it names; anything else is rethrown.
 */
export async function settle(body: () => Promise<EngineResult>): Promise<EngineResult> {
  try {
    return await body();
  } catch (error) {
    const result = error instanceof RunnerError ? stoppedBy(error) : undefined;
    if (result === undefined) throw error;
    return result;
  }
}

/** The message of the error that stopped the run, or '' when it ended without one. */
export function messageOf(result: EngineResult): string {
  return 'error' in result ? result.error.message : '';
}
