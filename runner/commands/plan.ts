// `migrate plan`: flags to options, then the plan from the inventory (engine/plan.ts) or from a
// version listing (engine/listing-plan.ts). Writes nothing.
import type { Command } from 'commander';
import { UsageError } from '../errors';
import { CommonFlags, maxInventoryAge, withCommonOptions, withContext, examplesHelp } from './flags';

interface PlanFlags extends CommonFlags {
  engine?: string;
  fromListing?: boolean;
}

export function registerPlanCommand(program: Command): void {
  withCommonOptions(program.command('plan'))
    .summary('classify every version and estimate cost and duration; writes nothing')
    .addHelpText(
      'before',
      examplesHelp([
        '  npm run migrate -- plan --stack prod',
        '  npm run migrate -- plan --stack dev --from-listing          no inventory yet: classify from a listing',
      ]),
    )
    .description(
      'preflight, then classify every version of the newest inventory with Athena and estimate cost and duration; writes nothing. ' +
        'Versions under Object Lock are named per class (copy-locked, noncurrent-locked, locked-archived, compliant-locked) with their retain-until dates and legal holds (`locked` in --json). ' +
        'With --from-listing, classify from ListObjectVersions and HeadObject instead (no inventory yet, moto, LocalStack), priced for the direct engine.',
    )
    .option(
      '--engine <engine>',
      'price the work for batch (S3 Batch Operations jobs, the default) or direct (the runner works each version itself)',
    )
    .option('--from-listing', 'classify from a version listing and HeadObject instead of the inventory (implies --engine direct)')
    .action(async (flags: PlanFlags) => {
      const maxInventoryAgeHours = maxInventoryAge(flags);
      if (flags.engine !== undefined && flags.engine !== 'batch' && flags.engine !== 'direct')
        throw new UsageError(`--engine must be batch or direct. Received: ${flags.engine}`);
      if (flags.fromListing && flags.engine === 'batch') {
        throw new UsageError('--from-listing plans for the direct engine: Batch Operations jobs need the inventory; drop --engine batch');
      }
      const engine = flags.fromListing ? 'direct' : (flags.engine ?? 'batch');
      // Loaded on use: --help and a bad flag answer without the engines and the AWS SDK.
      const [{ reportBucketAccess }, { assessDownstream, reportDownstream }, { preflight }, { makePlan, reportPlan }, { planFromListing }] =
        await Promise.all([
          import('../engine/bucket-access'),
          import('../engine/downstream'),
          import('../engine/preflight'),
          import('../engine/plan'),
          import('../engine/listing-plan'),
        ]);
      await withContext(flags, async (ctx, output) => {
        if (flags.fromListing) {
          const checked = await preflight(ctx, { maxInventoryAgeHours, requireInventory: false });
          const plan = await planFromListing(ctx, output);
          reportPlan(plan, output);
          reportBucketAccess(checked.access, output);
          reportDownstream(assessDownstream(ctx.outputs, checked.downstream, plan.buckets), output);
          return;
        }
        const checked = await preflight(ctx, { maxInventoryAgeHours });
        const plan = await makePlan(ctx, checked, output, engine);
        reportPlan(plan, output);
        reportBucketAccess(checked.access, output);
        reportDownstream(assessDownstream(ctx.outputs, checked.downstream, plan.buckets), output);
      });
    });
}
