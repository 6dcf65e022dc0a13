// `migrate verify`: flags to options, then the verification (engine/verify.ts).
import { Option, type Command } from 'commander';
import { VERIFY_METHODS, type VerifyMethod } from '../core/verify';
import { MAX_CALLS_IN_FLIGHT } from '../core/concurrency';
import {
  CommonFlags,
  LockFlags,
  lockStaleAfterMs,
  maxInventoryAge,
  wholeNumber,
  withCommonOptions,
  withContext,
  withLockOption,
  examplesHelp,
} from './flags';

interface VerifyFlags extends CommonFlags, LockFlags {
  bucket?: string;
  allowNewVersions?: boolean;
  method: VerifyMethod;
  listThreshold: string;
  headConcurrency: string;
  keyCheckLimit: string;
}

export function registerVerifyCommand(program: Command): void {
  withLockOption(withCommonOptions(program.command('verify')))
    .summary('prove per bucket that every current version is under the key')
    .addHelpText(
      'before',
      examplesHelp([
        '  npm run migrate -- verify --stack prod',
        '  npm run migrate -- verify --stack prod --bucket app-assets --method listing',
      ]),
    )
    .description(
      'prove the migration per bucket: zero current versions outside SSE-KMS under the stack key with a Bucket Key (pass), and the noncurrent ' +
        'versions still not compliant (the expiration removes them). Reads with Athena an inventory whose snapshot is newer than the last job, ' +
        'and checks the key of current versions with HeadObject (the inventory has no key id); without such an inventory, lists and HEADs ' +
        'every version of buckets up to --list-threshold versions. Records the result in the state; `migrate expire` requires a pass.\n' +
        'A pass needs evidence covering the bucket: Athena must read every data file of the report and nothing else, zero versions pass only ' +
        "when a listing finds the bucket empty, and a report dated after now is hidden by the table's projection. Accepted exceptions " +
        '(acceptRemaining in the stack config) are counted apart. More versions written on the migrated keys since the migration started than ' +
        'copies it made fail the bucket (--allow-new-versions when your applications wrote them).\n' +
        'Exit codes: 0 every bucket passes, 20 a bucket fails (named, with what remains), 4 cannot verify (jobs running, no fresh ' +
        'inventory for a large bucket, evidence that does not cover the bucket, wrong account), 30 another runner holds the lock.',
    )
    .option('--bucket <name>', 'verify only this bucket of the stack')
    .addOption(
      new Option(
        '--method <method>',
        'auto: inventory when its snapshot is newer than the last job, else listing (small buckets); inventory: the newest report regardless (an older snapshot can only fail, never pass falsely); listing: ListObjectVersions + HeadObject',
      )
        .choices([...VERIFY_METHODS])
        .default('auto'),
    )
    .option('--list-threshold <versions>', 'without a fresh inventory, list and HEAD buckets up to this many versions', '100000')
    .option('--head-concurrency <n>', 'HeadObject calls in flight', '16')
    .option(
      '--key-check-limit <n>',
      'current versions the inventory calls compliant whose KMS key HeadObject confirms (a random sample when more)',
      '1000',
    )
    .option(
      '--allow-new-versions',
      'when more versions were written on the migrated keys since the migration started than it copied (your applications wrote them), report them instead of failing',
    )
    .action(async (flags: VerifyFlags) => {
      const maxInventoryAgeHours = maxInventoryAge(flags);
      const listThreshold = wholeNumber('--list-threshold', flags.listThreshold);
      const headConcurrency = wholeNumber('--head-concurrency', flags.headConcurrency, { max: MAX_CALLS_IN_FLIGHT });
      const keyCheckLimit = wholeNumber('--key-check-limit', flags.keyCheckLimit);
      const staleAfterMs = lockStaleAfterMs(flags);
      // Loaded on use: --help and a bad flag answer without the engine and the AWS SDK.
      const [{ verifyMigration }, { withStepSummary }] = await Promise.all([import('../engine/verify'), import('./step-summary')]);
      await withContext(flags, (ctx, output) =>
        withStepSummary('verify', ctx, () =>
          verifyMigration(
            ctx,
            {
              bucket: flags.bucket,
              allowNewVersions: flags.allowNewVersions ?? false,
              method: flags.method,
              listThreshold,
              headConcurrency,
              keyCheckLimit,
              maxInventoryAgeHours,
              lockStaleAfterMs: staleAfterMs,
            },
            output,
          ),
        ),
      );
    });
}
