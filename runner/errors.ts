// The runner's few error kinds and the exit code each means; the CLI maps them in one place.

/** Exit codes a pipeline can branch on. */
export const EXIT = {
  /** Everything asked for is done. */
  done: 0,
  /** Unexpected failure: a bug or an AWS error the runner could not explain. */
  error: 1,
  /** Bad flags or arguments. */
  usage: 2,
  /** The stack outputs are missing, unreadable or incomplete. */
  outputs: 3,
  /** A preflight check failed: nothing was written. */
  preflight: 4,
  /** No AWS credentials could be found, or the ones found have expired (an SSO session, a web identity token). */
  credentials: 5,
  /** Work was submitted or is still running: run again later to advance. */
  inProgress: 10,
  /** A person must decide: failed jobs, untouchable objects, confirmation. */
  needsHuman: 20,
  /** Another runner holds the lock of this stack. */
  conflict: 30,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export abstract class RunnerError extends Error {
  abstract readonly exitCode: ExitCode;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class UsageError extends RunnerError {
  readonly exitCode = EXIT.usage;
}

/** The outputs file or `terraform output` did not give a valid outputs contract. */
export class OutputsError extends RunnerError {
  readonly exitCode = EXIT.outputs;
}

/** One or more preflight checks failed; each problem says what is wrong and how to fix it. */
export class PreflightError extends RunnerError {
  readonly exitCode = EXIT.preflight;
  constructor(
    readonly problems: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(`Preflight failed; nothing was written:\n${problems.map((p) => `  - ${p}`).join('\n')}`, options);
  }
}

/** An AWS call failed; the message names the likely fix (key policy, role, quota...). */
export class AwsError extends RunnerError {
  readonly exitCode = EXIT.error;
  constructor(
    message: string,
    readonly awsCode: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The SDK found no credentials (or only expired ones) before it could send a request: nothing about
 * the migration is wrong, and rerunning with credentials resumes where it stopped.
 */
export class CredentialsError extends RunnerError {
  readonly exitCode = EXIT.credentials;
}

/** Another runner holds this stack's lock. */
export class ConflictError extends RunnerError {
  readonly exitCode = EXIT.conflict;
}

/** The run stopped where a person has to decide. */
export class NeedsHumanError extends RunnerError {
  readonly exitCode = EXIT.needsHuman;
}

export function exitCodeOf(error: unknown): ExitCode {
  return error instanceof RunnerError ? error.exitCode : EXIT.error;
}

/**
 * A write was answered with success but did not do what AWS documents (another version named, a new
 * version where none belongs, the wrong key read back): the bucket's work stops at once.
 */
export class WriteNotConfirmedError extends NeedsHumanError {
  constructor(
    readonly target: string,
    readonly problems: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(`${target}: ${problems.join('; ')}`, options);
  }
}

/** The stored state cannot be read as a migration state; it is left untouched for a person. */
export class StateError extends NeedsHumanError {}
