// Test support: a sandbox holding the demo stack, applied as Terraform would, with seeded buckets and
// a delivered inventory, and the outputs file the runner reads. What a user has after deploy + 48 h.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import type { AwsClients } from '../../../runner/aws/clients';
import { RUNNER_MAX_ATTEMPTS, openContext, type RunContext } from '../../../runner/context';
import { StateStore } from '../../../runner/state';
import { loadConfig, parseConfig } from '../../../stacks/config';
import { MigrationStack } from '../../../stacks/migration-stack';
import { INVENTORY_CONFIG_ID } from '../../../stacks/outputs';
import { startSandbox, type Sandbox, type SeedBucketSpec, produceInventory } from '../../../sandbox';
import { clientsFor } from '../../../rehearsal/clients';
import { runnerPrincipalArn } from '../../../rehearsal/identity';
import { applyToSandbox, writeOutputsFile } from '../../../rehearsal/terraform/apply';
import type { SynthesizedStack } from '../../../rehearsal/terraform/plan';

export interface MigrationWorld {
  readonly sandbox: Sandbox;
  readonly clients: AwsClients;
  readonly outputsFile: string;
  readonly stack: string;
  context(): RunContext;
  /** Delivers a fresh inventory report of every migrated bucket. */
  deliverInventory(at?: Date): Promise<void>;
  /**
   * Moves the recorded starts and ends of the migration's jobs and passes back by `ms`, as if it had
   * run that long ago: S3 labels a report with the hour its snapshot starts, so only a report labelled
   * after the jobs shows what they did, and a test cannot wait for the next hour. Negative `ms` moves forward.
   */
  backdateMigration(ms: number): Promise<void>;
  close(): Promise<void>;
}

export interface MigrationWorldOptions {
  readonly buckets: readonly SeedBucketSpec[];
  /** Config overrides on top of the demo stack's config. */
  readonly config?: Record<string, unknown>;
  /** Per bucket, config fields beside its name (dsseKms, acceptRemaining, ...). */
  readonly bucketConfig?: Readonly<Record<string, Record<string, unknown>>>;
  readonly tasksPerSecond?: number;
  /** The inventory format the stack asks S3 for. @default the demo config's */
  readonly format?: 'CSV' | 'Parquet';
}

export async function startMigrationWorld(options: MigrationWorldOptions): Promise<MigrationWorld> {
  const demo = loadConfig('demo');
  const raw = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../stacks/environments/demo.json'), 'utf8'));
  const inventory = options.format === undefined ? {} : { inventory: { ...raw.inventory, format: options.format } };
  const config = parseConfig(demo.stackName, {
    ...raw,
    buckets: options.buckets.map((b) => ({ name: b.name, ...options.bucketConfig?.[b.name] })),
    ...inventory,
    ...options.config,
  });
  // The runner acts as the key user the config names, so the key policy applies to it as on AWS.
  const sandbox = await startSandbox({
    seed: { seed: 7, buckets: options.buckets },
    defaultPrincipalArn: runnerPrincipalArn(config.key.users),
  });
  sandbox.batchOperations.setTaskRate(options.tasksPerSecond ?? 1_000_000);
  // The runner's own attempts per call, so tests meet throttling as a real run does.
  const clients = clientsFor(sandbox.endpoint, RUNNER_MAX_ATTEMPTS);
  const synthesized = JSON.parse(Testing.synth(new MigrationStack(Testing.app(), config))) as SynthesizedStack;
  const applied = await applyToSandbox(synthesized, sandbox, clients);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migration-world-'));
  const outputsFile = path.join(dir, 'outputs.json');
  writeOutputsFile(outputsFile, config.stackName, applied.outputs);
  const world: MigrationWorld = {
    sandbox,
    clients,
    outputsFile,
    stack: config.stackName,
    context: () => openContext({ stack: config.stackName, outputsFile, json: true }, clients),
    // S3 delivers at whole hours (the Glue tables project dt hourly), so the default is this hour.
    deliverInventory: async (at = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000)) => {
      for (const bucket of config.buckets) {
        await produceInventory(sandbox.world, { bucket: bucket.name, configId: INVENTORY_CONFIG_ID, at });
      }
    },
    backdateMigration: async (ms) => {
      const ctx = world.context();
      const store = new StateStore(clients.s3, ctx.outputs.reports_bucket, ctx.outputs);
      const state = await store.load(config.stackName);
      const back = (t: string | undefined) => (t ? new Date(new Date(t).getTime() - ms).toISOString() : t);
      for (const job of Object.values(state.jobs))
        Object.assign(job, { submittedAt: back(job.submittedAt), finishedAt: back(job.finishedAt) });
      for (const pass of Object.values(state.direct ?? {}))
        Object.assign(pass, { startedAt: back(pass.startedAt), finishedAt: back(pass.finishedAt) });
      await store.save(state);
    },
    close: async () => {
      clients.destroy();
      await sandbox.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return world;
}
