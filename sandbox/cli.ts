// `npm run sandbox -- [--port N] [--state-dir DIR] [--seed N] ...`: runs the sandbox as a
// process on 127.0.0.1 until SIGINT/SIGTERM, saving state on exit when a state dir is given.
// `npm run sandbox -- events --state-dir DIR [--bucket B] [--event NAME] [--json]`: prints the S3
// event log of a saved state (one record per fired event and destination).
import { Command, InvalidArgumentError, Option } from 'commander';
import { SandboxConfigError } from './errors';
import { IMITATION_KINDS, parseImitation, type Imitation } from './imitations';
import type { FiredEvent } from './s3/event-log';
import { startSandbox } from './sandbox';
import { readSavedEvents } from './state';
import type { SeedSpec } from './seed';

function integer(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError(`expected a whole number, received '${value}'`);
  return parsed;
}

/** Repeatable `--imitate kind[:bucket]`: each occurrence adds one imitation. */
function imitation(value: string, previous: readonly Imitation[]): Imitation[] {
  try {
    return [...previous, parseImitation(value)];
  } catch (error) {
    if (error instanceof SandboxConfigError) throw new InvalidArgumentError(error.message);
    throw error;
  }
}

const program = new Command('sandbox')
  // The sandbox's own options come before a subcommand, so `events --state-dir` is the subcommand's.
  .enablePositionalOptions()
  .description('Local AWS sandbox (S3, KMS, STS) on 127.0.0.1 for the migration runner and its tests')
  .option('--port <port>', 'TCP port on 127.0.0.1 (0: ephemeral)', integer, 4599)
  .option('--state-dir <dir>', 'load state from DIR at start, save it there on exit')
  .option('--seed <versions>', 'seed a bucket "seeded-bucket" with this many object versions', integer)
  .option('--seed-bucket <name>', 'name of the seeded bucket', 'seeded-bucket')
  .option('--versions-per-key <n>', 'versions per key when seeding', integer, 3)
  .option('--random-seed <n>', 'seed of the pseudo-random world', integer, 1)
  .option('--account-id <id>', 'account id of the sandbox', '123456789012')
  .option('--region <region>', 'region of the sandbox', 'us-east-1')
  .option('--restore-delay-ms <ms>', 'time RestoreObject takes', integer, 0)
  .addOption(
    new Option(
      '--imitate <kind[:bucket]>',
      `behave like a faulty endpoint, for every bucket or only BUCKET; repeatable. Kinds: ${IMITATION_KINDS.join(', ')}`,
    )
      .argParser(imitation)
      .default([] as Imitation[], 'none'),
  );

program
  .command('events')
  .description('print the S3 event notifications a saved sandbox state recorded (one line per event and destination)')
  .requiredOption('--state-dir <dir>', 'the state directory a sandbox saved to')
  .option('--bucket <name>', 'only events of this bucket')
  .option('--event <name>', 'only this event name, e.g. s3:ObjectCreated:Copy')
  .option('--json', 'JSON lines (the default when stdout is not a terminal)')
  .action(async (opts: { stateDir: string; bucket?: string; event?: string; json?: boolean }) => {
    const events = (await readSavedEvents(opts.stateDir)).filter(
      (e) => (opts.bucket === undefined || e.bucket === opts.bucket) && (opts.event === undefined || e.eventName === opts.event),
    );
    process.stdout.write(
      opts.json === true || !process.stdout.isTTY ? events.map((e) => JSON.stringify(e) + '\n').join('') : eventTable(events),
    );
  });

/** One aligned line per event for a terminal. */
function eventTable(events: readonly FiredEvent[]): string {
  const rows = [
    ['#', 'TIME', 'EVENT', 'DESTINATION', 'BUCKET', 'KEY', 'VERSION'],
    ...events.map((e) => [String(e.sequence), e.eventTime, e.eventName, e.destinationArn, e.bucket, e.key, e.versionId ?? '-']),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return (
    rows
      .map(
        (r) =>
          r
            .map((cell, i) => cell.padEnd(widths[i]!))
            .join('  ')
            .trimEnd() + '\n',
      )
      .join('') + `${events.length} events\n`
  );
}

async function main(): Promise<void> {
  const opts = program.opts<{
    port: number;
    stateDir?: string;
    seed?: number;
    seedBucket: string;
    versionsPerKey: number;
    randomSeed: number;
    accountId: string;
    region: string;
    restoreDelayMs: number;
    imitate: Imitation[];
  }>();
  const seed: SeedSpec | undefined =
    opts.seed === undefined
      ? undefined
      : {
          seed: opts.randomSeed,
          buckets: [
            {
              name: opts.seedBucket,
              versions: opts.seed,
              versionsPerKey: opts.versionsPerKey,
              encryption: { 'NOT-SSE': 2, 'SSE-S3': 5, 'SSE-KMS': 2, 'DSSE-KMS': 0.5, 'SSE-C': 0.5 },
              storageClasses: { STANDARD: 6, STANDARD_IA: 2, GLACIER: 1, DEEP_ARCHIVE: 1 },
              overFiveGbRate: 0.001,
            },
          ],
        };
  const sandbox = await startSandbox({
    port: opts.port,
    accountId: opts.accountId,
    region: opts.region,
    restoreDelayMs: opts.restoreDelayMs,
    imitations: opts.imitate,
    ...(opts.stateDir !== undefined ? { stateDir: opts.stateDir } : {}),
    ...(seed ? { seed } : {}),
  });
  process.stdout.write(`sandbox listening on ${sandbox.endpoint} (services: ${sandbox.registry.names().join(', ')})\n`);
  process.stdout.write(
    `export AWS_ENDPOINT_URL=${sandbox.endpoint} AWS_ACCESS_KEY_ID=sandbox AWS_SECRET_ACCESS_KEY=sandbox AWS_REGION=${opts.region}\n`,
  );
  for (const i of sandbox.imitations.active())
    process.stdout.write(`imitating a faulty endpoint: ${i.kind}${i.bucket !== undefined ? ` (bucket ${i.bucket})` : ' (every bucket)'}\n`);
  if (sandbox.seedSummary)
    for (const b of sandbox.seedSummary.buckets) process.stdout.write(`seeded ${b.name}: ${b.versions} versions, ${b.keys} keys\n`);
  const shutdown = async (): Promise<void> => {
    if (opts.stateDir !== undefined) {
      await sandbox.save(opts.stateDir);
      process.stdout.write(`state saved to ${opts.stateDir}\n`);
    }
    await sandbox.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

program.action(main);

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`sandbox: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
