// The pipeline's job summary: when GITHUB_STEP_SUMMARY names a file, run, verify and expire append what they did, what their exit means, and one line per bucket.
import { appendFileSync } from 'node:fs';
import { migrationReport } from '../core/report';
import { stepSummaryMarkdown, type StepSummaryInput } from '../core/report-markdown';
import { exitCodeOf, type ExitCode } from '../errors';
import { StateStore } from '../state';
import { ExitWith } from './flags';
import type { RunContext } from '../context';

/** The file GitHub Actions shows as the job's summary; undefined outside a workflow step. */
export function stepSummaryFile(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const file = env.GITHUB_STEP_SUMMARY;
  return file && file.trim() !== '' ? file : undefined;
}

/** The buckets as the state now has them; none when the state itself is what failed to load. */
async function bucketLines(ctx: RunContext): Promise<StepSummaryInput['buckets']> {
  try {
    const state = await new StateStore(ctx.clients.s3, ctx.outputs.reports_bucket, ctx.outputs).load(ctx.outputs.stack);
    return migrationReport({ state, outputs: ctx.outputs, generatedAt: new Date() }).buckets;
  } catch {
    // The summary then says what the command's own error said; a second error here would hide it.
    return [];
  }
}

/**
 * Runs a command and, when GITHUB_STEP_SUMMARY is set, appends its summary however it ends; the
 * command's exit code or error passes through unchanged.
 */
export async function withStepSummary(
  command: string,
  ctx: RunContext,
  body: () => Promise<ExitCode>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ExitCode> {
  const file = stepSummaryFile(env);
  if (!file) return body();
  let exitCode: number;
  let message: string | undefined;
  let failure: { error: unknown } | undefined;
  try {
    exitCode = await body();
  } catch (error) {
    failure = { error };
    exitCode = error instanceof ExitWith ? error.code : exitCodeOf(error);
    if (!(error instanceof ExitWith)) message = error instanceof Error ? error.message : String(error);
  }
  const summary = stepSummaryMarkdown({
    command,
    stack: ctx.outputs.stack,
    exitCode,
    ...(message ? { message } : {}),
    buckets: await bucketLines(ctx),
  });
  appendFileSync(file, summary);
  if (failure !== undefined) throw failure.error;
  return exitCode as ExitCode;
}
