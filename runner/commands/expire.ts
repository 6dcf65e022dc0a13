// `migrate expire`: flags to options, then the expiration rule (engine/expire.ts).
import type { Command } from 'commander';
import { UsageError } from '../errors';
import { EXPIRATION_RULE_ID, FORCE_ACKNOWLEDGEMENT } from '../core/lifecycle-merge';
import { CommonFlags, LockFlags, lockStaleAfterMs, withCommonOptions, withContext, withLockOption, examplesHelp } from './flags';

interface ExpireFlags extends CommonFlags, LockFlags {
  bucket?: string;
  dryRun?: boolean;
  undo?: boolean;
  force?: boolean;
  iUnderstandUnverifiedVersionsWillBeDeleted?: boolean;
}

export function registerExpireCommand(program: Command): void {
  withLockOption(withCommonOptions(program.command('expire')))
    .summary('add the lifecycle rule that expires the old noncurrent versions')
    .addHelpText(
      'before',
      examplesHelp([
        '  npm run migrate -- expire --stack prod --dry-run           the rules before -> after and what goes',
        '  npm run migrate -- expire --stack prod',
      ]),
    )
    .description(
      `add one lifecycle rule (id ${EXPIRATION_RULE_ID}) to each bucket that passed \`migrate verify\`: NoncurrentVersionExpiration after the ` +
        "stack's noncurrent_days (and NewerNoncurrentVersions when configured), limited to the bucket's prefix_filter, merged into the " +
        'existing lifecycle configuration with every other rule kept exactly as it is. Prints the rules before -> after and what the rule ' +
        'will delete (noncurrent versions beyond those the migration made noncurrent, the non-compliant ones, those under Object Lock). ' +
        'Rerunning is a no-op. Another rule that already expires noncurrent versions on an overlapping prefix is reported, never overwritten.\n' +
        '--dry-run and --undo need no verification (they delete nothing).\n' +
        'Exit codes: 0 done (or nothing to do), 20 a conflicting rule (named), 4 a bucket has not passed verification (nothing written), ' +
        '2 --force without its acknowledgement, 30 another runner holds the lock or the configuration kept changing.',
    )
    .option('--bucket <name>', 'only this bucket of the stack')
    .option('--dry-run', 'show the rules before -> after and the impact; write nothing')
    .option('--undo', `remove only the ${EXPIRATION_RULE_ID} rule (the configuration is deleted when it was the only rule)`)
    .option('--force', `apply without a passed verification; requires ${FORCE_ACKNOWLEDGEMENT}`)
    .option(FORCE_ACKNOWLEDGEMENT, 'acknowledge that --force may delete noncurrent versions whose current version is not verified')
    .action(async (flags: ExpireFlags) => {
      const staleAfterMs = lockStaleAfterMs(flags);
      if (flags.undo && flags.force) throw new UsageError('--undo removes the rule and needs no --force');
      // Checked before any AWS call, so a bad flag never waits on the network.
      if (flags.force && !flags.iUnderstandUnverifiedVersionsWillBeDeleted) {
        throw new UsageError(
          `--force requires ${FORCE_ACKNOWLEDGEMENT}: the expiration deletes noncurrent versions for good, and --force skips the verification that the current versions are compliant`,
        );
      }
      // Loaded on use: --help and a bad flag answer without the engine and the AWS SDK.
      const [{ expireNoncurrentVersions }, { withStepSummary }] = await Promise.all([import('../engine/expire'), import('./step-summary')]);
      await withContext(flags, (ctx, output) =>
        withStepSummary('expire', ctx, () =>
          expireNoncurrentVersions(
            ctx,
            {
              bucket: flags.bucket,
              dryRun: flags.dryRun ?? false,
              undo: flags.undo ?? false,
              force: flags.force ?? false,
              acknowledged: flags.iUnderstandUnverifiedVersionsWillBeDeleted ?? false,
              lockStaleAfterMs: staleAfterMs,
            },
            output,
          ),
        ),
      );
    });
}
