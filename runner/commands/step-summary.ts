// The pipeline's job summary: when GITHUB_STEP_SUMMARY names a file, run, verify and expire append what they did, what their exit means, and one line per bucket.
import { appendFileSync } from 'node:fs';
import { migrationReport } from '../core/report';
import { stepSummaryMarkdown, type StepSummaryInput } from '../core/report-markdown';
import { exitCodeOf } from '../errors';
import { messageOf, type EngineResult } from '../result';
import { StateStore } from '../state';
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
 * command's result, or what it threw, passes through unchanged.
 */
export async function withStepSummary(
  command: string,
  ctx: RunContext,
  body: () => Promise<EngineResult>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<EngineResult> {
  const file = stepSummaryFile(env);
  if (!file) return body();
  let ended: { readonly result: EngineResult } | { readonly thrown: unknown };
  try {
    ended = { result: await body() };
  } catch (thrown) {
    ended = { thrown };
  }
  const exitCode = 'result' in ended ? ended.result.exitCode : exitCodeOf(ended.thrown);
  const message = 'result' in ended ? messageOf(ended.result) : ended.thrown instanceof Error ? ended.thrown.message : String(ended.thrown);
  const summary = stepSummaryMarkdown({
    command,
    stack: ctx.outputs.stack,
    exitCode,
    ...(message ? { message } : {}),
    buckets: await bucketLines(ctx),
  });
  appendFileSync(file, summary);
  if ('thrown' in ended) throw ended.thrown;
  return ended.result;
}
