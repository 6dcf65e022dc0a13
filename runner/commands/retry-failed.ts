// `migrate retry-failed`: flags to options, then the batch engine's retry (engine/batch-retry.ts).
import type { Command } from 'commander';
import { MAX_RETRY_ATTEMPTS } from '../core/completion-report';
import {
  CommonFlags,
  LockFlags,
  jobPriority,
  lockStaleAfterMs,
  withCommonOptions,
  withContext,
  withLockOption,
  examplesHelp,
} from './flags';

interface RetryFlags extends CommonFlags, LockFlags {
  follow: boolean;
  priority: string;
}

export function registerRetryFailedCommand(program: Command): void {
  withLockOption(withCommonOptions(program.command('retry-failed')))
    .summary('resubmit the failed tasks worth retrying (throttling, 5xx)')
    .addHelpText('before', examplesHelp(['  npm run migrate -- retry-failed --stack prod']))
    .description(
      `resubmit the failed tasks whose errors can succeed on retry (throttling, 5xx) as new jobs, at most ${MAX_RETRY_ATTEMPTS} times; final errors stay in the report`,
    )
    .option('--no-follow', 'submit and return without following the jobs (exit 10 while they run)')
    .option('--priority <n>', 'Batch Operations job priority, 0 to 2147483647 (higher runs first)', '10')
    .action(async (flags: RetryFlags) => {
      const priority = jobPriority(flags.priority);
      const staleAfterMs = lockStaleAfterMs(flags);
      const { retryFailed } = await import('../engine/batch-retry');
      await withContext(flags, (ctx, output) =>
        retryFailed(ctx, { follow: flags.follow, priority, lockStaleAfterMs: staleAfterMs }, output),
      );
    });
}
