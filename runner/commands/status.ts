// `migrate status`: flags to options, then where the migration stands (engine/status.ts). Reads only.
import type { Command } from 'commander';
import { CommonFlags, withCommonOptions, withContext, examplesHelp } from './flags';

export function registerStatusCommand(program: Command): void {
  withCommonOptions(program.command('status'))
    .summary('where the migration stands per bucket; reads only')
    .addHelpText(
      'before',
      examplesHelp([
        '  npm run migrate -- status --stack prod',
        '  npm run migrate -- status --stack prod --json | jq -c \'select(.type == "bucket-status")\'',
      ]),
    )
    .description(
      "show, per bucket, where the migration stands: jobs (running, finished, or planned and not created), the runner's own passes, " +
        'restores in progress, the last verification and the expiration rule. Reads only. ' +
        'Exit 0 everything done, 10 work still running or not started (run again), 20 failures, a failed or impossible verification, or work for a person.',
    )
    .action(async (flags: CommonFlags) => {
      const { showStatus } = await import('../engine/status');
      await withContext(flags, (ctx, output) => showStatus(ctx, output));
    });
}
