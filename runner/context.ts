// What every command starts from: the stack's outputs and AWS clients in its Region.
import { createAwsClients, type AwsClients } from './aws/clients';
import { callerAccount, callerIdentity } from './aws/identity';
import { buildInfo } from './build-info';
import { UsageError } from './errors';
import { readStackOutputs } from './stack-outputs';
import type { CommandRun } from './state';
import type { BucketOutput, StackOutputs } from '../stacks/outputs';

export interface GlobalOptions {
  readonly stack: string;
  readonly outputsFile?: string;
  readonly json: boolean;
}

export interface RunContext {
  readonly outputs: StackOutputs;
  readonly clients: AwsClients;
  readonly options: GlobalOptions;
}

/**
 * SDK attempts per call. A migration makes its calls while S3 and KMS may be throttling it; the
 * SDK's default of 3 lets a fifth of calls throttled fail a run about once in a hundred calls.
 */
export const RUNNER_MAX_ATTEMPTS = 8;

export function openContext(options: GlobalOptions, clients?: AwsClients): RunContext {
  const outputs = readStackOutputs({ stack: options.stack, outputsFile: options.outputsFile });
  return { outputs, clients: clients ?? createAwsClients({ region: outputs.region, maxAttempts: RUNNER_MAX_ATTEMPTS }), options };
}

/** The stack's buckets, or the one --bucket names. */
export function selectBuckets(outputs: StackOutputs, bucket: string | undefined): BucketOutput[] {
  const buckets = Object.values(outputs.buckets).filter((b) => bucket === undefined || b.bucket === bucket);
  if (buckets.length === 0)
    throw new UsageError(
      `--bucket ${bucket} is not a bucket of stack ${outputs.stack}: expected one of ${Object.keys(outputs.buckets).join(', ')}`,
    );
  return buckets;
}

/** The problem with the caller's account, if it is not the stack's; undefined when it is. */
export async function accountProblem(ctx: RunContext): Promise<string | undefined> {
  const account = await callerAccount(ctx.clients.sts);
  const expected = ctx.outputs.account_id;
  return account === expected
    ? undefined
    : `the credentials belong to account ${account}, the stack to ${expected}: use credentials of account ${expected}`;
}

/** Who runs `command` now and with which build: what the state records, and the report shows. */
export async function commandRun(ctx: RunContext, command: string, now: Date = new Date()): Promise<CommandRun> {
  const { arn } = await callerIdentity(ctx.clients.sts);
  return { command, at: now.toISOString(), principal: arn || 'unknown', ...buildInfo() };
}
