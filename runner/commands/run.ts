// `migrate run`: turns flags into options and runs an engine: the batch engine (engine/batch.ts,
// S3 Batch Operations jobs) or the direct engine (engine/direct.ts, the runner works each version).
import type { Command } from 'commander';
import { MAX_CALLS_IN_FLIGHT } from '../core/concurrency';
import { UsageError } from '../errors';
import type { EngineResult } from '../result';
import type { Output } from '../output';
import type { RunContext } from '../context';
import type { BatchOptions } from '../engine/batch';
import type { DirectRunOptions } from '../engine/direct';
import type { DirectOptions } from '../engine/direct-options';
import {
  CommonFlags,
  LockFlags,
  jobPriority,
  lockStaleAfterMs,
  maxInventoryAge,
  wholeNumber,
  withCommonOptions,
  withContext,
  withLockOption,
  examplesHelp,
} from './flags';

export interface RunOptions extends BatchOptions, DirectRunOptions {
  /** 'direct': no Batch Operations, the runner works each version itself (engine/direct.ts). @default 'batch' */
  readonly engine?: 'batch' | 'direct';
}

export async function runMigration(ctx: RunContext, options: RunOptions, output: Output): Promise<EngineResult> {
  // The engines (and the AWS SDK) load on use: --help and a bad flag answer without them.
  if (options.engine === 'direct') return (await import('../engine/direct')).runDirect(ctx, options, output);
  return (await import('../engine/batch')).runBatch(ctx, options, output);
}

/** The run command's flags for the direct engine and the copies outside Batch Operations. */
interface DirectFlags {
  engine: string;
  concurrency: string;
  fromListing?: boolean;
  archived: string;
  updateByCopy?: boolean;
}

function addDirectOptions(command: Command): Command {
  return command
    .option(
      '--engine <engine>',
      'batch: S3 Batch Operations jobs; direct: the runner works each version itself (small buckets, LocalStack, moto)',
      'batch',
    )
    .option(
      '--concurrency <n>',
      'direct engine and copies outside Batch Operations: most calls in flight (halved on throttling, grown back slowly)',
      '16',
    )
    .option(
      '--from-listing',
      'direct engine: classify from ListObjectVersions + HeadObject instead of the inventory (no inventory or Athena needed)',
    )
    .option(
      '--update-by-copy',
      'direct engine, for endpoints without a working UpdateObjectEncryption (the write probe says so): copy SSE-S3 and other-key current versions in place instead (new versions, storage billed twice until expiration)',
    )
    .option(
      '--archived <mode>',
      'unencrypted Glacier/Deep Archive versions: copy (restore, then copy when restored) or report (only name them)',
      'copy',
    );
}

function directOptionsFrom(flags: DirectFlags): { engine: 'batch' | 'direct'; direct: DirectOptions } {
  if (flags.engine !== 'batch' && flags.engine !== 'direct')
    throw new UsageError(`--engine must be batch or direct. Received: ${flags.engine}`);
  if (flags.archived !== 'copy' && flags.archived !== 'report')
    throw new UsageError(`--archived must be copy or report. Received: ${flags.archived}`);
  const concurrency = wholeNumber('--concurrency', flags.concurrency, { max: MAX_CALLS_IN_FLIGHT });
  if (flags.fromListing && flags.engine !== 'direct')
    throw new UsageError('--from-listing works with --engine direct only: Batch Operations jobs need the inventory');
  if (flags.updateByCopy && flags.engine !== 'direct')
    throw new UsageError('--update-by-copy works with --engine direct only: Batch Operations jobs re-wrap with UpdateObjectEncryption');
  return {
    engine: flags.engine,
    direct: { concurrency, fromListing: flags.fromListing ?? false, archived: flags.archived, updateByCopy: flags.updateByCopy ?? false },
  };
}

interface RunFlags extends CommonFlags, DirectFlags, LockFlags {
  follow: boolean;
  confirmationRequired?: boolean;
  priority: string;
}

export function registerRunCommand(program: Command): void {
  withLockOption(addDirectOptions(withCommonOptions(program.command('run', { isDefault: true }))))
    .summary('submit and follow the jobs of the plan, then read their reports (the default command)')
    .addHelpText(
      'before',
      examplesHelp([
        '  npm run migrate -- run --stack prod',
        '  npm run migrate -- run --stack prod --no-follow --json       for a pipeline: submit and return (exit 10 while jobs run)',
        '  npm run migrate -- run --stack dev --engine direct          the runner copies each version itself',
      ]),
    )
    .description(
      'preflight, plan, write manifests and submit one Batch Operations job per bucket, operation and storage class (never twice), ' +
        'then follow the jobs and read their completion reports. Safe to rerun at any point.',
    )
    .option('--no-follow', 'submit and return without following the jobs (exit 10 while they run)')
    .option('--confirmation-required', 'jobs wait (Suspended) until confirmed in the console or with aws s3control update-job-status')
    .option('--priority <n>', 'Batch Operations job priority, 0 to 2147483647 (higher runs first)', '10')
    .action(async (flags: RunFlags) => {
      const maxInventoryAgeHours = maxInventoryAge(flags);
      const priority = jobPriority(flags.priority);
      const staleAfterMs = lockStaleAfterMs(flags);
      const { engine, direct } = directOptionsFrom(flags);
      const { withStepSummary } = await import('./step-summary');
      await withContext(flags, async (ctx, output) => {
        // Ctrl-C stops following; the jobs keep running and the state stays consistent.
        const abort = new AbortController();
        const onSignal = () => abort.abort();
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        try {
          return await withStepSummary('run', ctx, () =>
            runMigration(
              ctx,
              {
                follow: flags.follow,
                confirmationRequired: flags.confirmationRequired ?? false,
                priority,
                maxInventoryAgeHours,
                lockStaleAfterMs: staleAfterMs,
                signal: abort.signal,
                engine,
                direct,
              },
              output,
            ),
          );
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
      });
    });
}
