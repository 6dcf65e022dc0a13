// `migrate status`: where every job of the stack stands, from the state and a fresh DescribeJob of
// the ones still running. Reads only; takes no lock.
import type { Command } from 'commander';
import { describeJob } from '../aws/batch-operations';
import { EXIT, ExitCode } from '../errors';
import { table } from '../output';
import { StateStore } from '../state';
import { CommonFlags, withCommonOptions, withContext } from './flags';
import { describeRecord, isTerminal, recordJob } from './jobs';
import type { RunContext } from './context';
import type { Output } from '../output';

export async function showStatus(ctx: RunContext, output: Output): Promise<ExitCode> {
  const { outputs, clients } = ctx;
  const state = await new StateStore(clients.s3, outputs.reports_bucket, outputs).load(outputs.stack);
  const records = Object.values(state.jobs).filter((r) => r.jobId);
  for (const record of records) {
    if (!isTerminal(record)) recordJob(record, await describeJob(clients.s3Control, outputs.account_id, record.jobId!));
  }
  const running = records.filter((r) => !isTerminal(r));
  const troubled = records.filter((r) => isTerminal(r) && (r.status !== 'Complete' || (r.failed ?? 0) > 0));
  const outstanding = Object.entries(state.outstanding ?? {}).filter(([, w]) => w.overFiveGiB > 0 || w.archived > 0);
  output.emit('status', { stack: outputs.stack, updatedAt: state.updatedAt, jobs: records, outstanding: state.outstanding ?? {} }, () =>
    records.length === 0
      ? `No jobs recorded for stack ${outputs.stack} (state s3://${outputs.reports_bucket}/${outputs.reports_prefix}state/state.json).`
      : [
          table(
            ['job', 'work', 'inventory', 'status', 'succeeded', 'failed', 'total'],
            records.map((r) => [r.jobId!, describeRecord(r), r.inventoryDate, r.status ?? 'New', r.succeeded ?? 0, r.failed ?? 0, r.total ?? 0]),
          ),
          ...outstanding.map(([bucket, w]) => `${bucket}: still to copy one by one: ${w.overFiveGiB} over 5 GiB, ${w.archived} archived, ${w.locked ?? 0} under Object Lock, ${w.acl ?? 0} with ACLs`),
        ].join('\n'),
  );
  if (running.length > 0) return EXIT.inProgress;
  return troubled.length > 0 || outstanding.length > 0 ? EXIT.needsHuman : EXIT.done;
}

export function registerStatusCommand(program: Command): void {
  withCommonOptions(program.command('status'))
    .description('show every job of the stack and where it stands; exit 0 all done, 10 running, 20 failures or work left for a person')
    .action(async (flags: CommonFlags) => {
      await withContext(flags, (ctx, output) => showStatus(ctx, output));
    });
}
