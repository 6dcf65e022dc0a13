// Glue, Athena and S3 Inventory attached to a SandboxWorld: one GlueWorld and AthenaWorld per
// world (created on first use), their service handlers for startSandbox, and the in-process
// entry points a "sandbox apply" and the demo call.
import { AthenaHandler } from './athena/handler';
import { AthenaWorld } from './athena/world';
import { GlueHandler } from './glue/handler';
import { GlueWorld } from './glue/world';
import { produceInventory, type ProducedInventory } from './inventory/producer';
import type { SandboxWorld } from './world';

export interface SandboxAnalytics {
  readonly glue: GlueWorld;
  readonly athena: AthenaWorld;
}

// Kept beside the world rather than in it, so the core world stays free of issue-4 services.
const attached = new WeakMap<SandboxWorld, SandboxAnalytics>();

export function analyticsOf(world: SandboxWorld): SandboxAnalytics {
  let analytics = attached.get(world);
  if (!analytics) {
    const glue = new GlueWorld(world.accountId, world.now);
    const athena = new AthenaWorld({ glue, s3: world.s3, now: world.now });
    analytics = { glue, athena };
    attached.set(world, analytics);
    world.addStatePart({ name: 'glue', save: () => glue.save(), load: (data) => glue.load(data) });
  }
  return analytics;
}

/**
 * Glue and Athena handlers; services.ts lists them in DEFAULT_SERVICES, where they are checked as
 * ServiceFactory[] (importing that type here would make an import cycle).
 */
export const ANALYTICS_SERVICES = [(world: SandboxWorld) => new GlueHandler(analyticsOf(world).glue), (world: SandboxWorld) => new AthenaHandler(analyticsOf(world).athena)] as const;

/**
 * Runs every enabled inventory configuration of every bucket once, as S3's daily job would.
 * `at` defaults to the current hour: S3 starts reports on the hour, and the stacks' partition
 * projection (interval 1 HOURS) only sees hour-aligned `dt` values.
 */
export async function produceAllInventories(world: SandboxWorld, at: Date = floorToHour(world.now())): Promise<ProducedInventory[]> {
  const produced: ProducedInventory[] = [];
  for (const bucket of world.s3.listBuckets()) {
    for (const config of [...bucket.inventory.values()].sort((a, b) => (a.id < b.id ? -1 : 1))) {
      if (config.isEnabled) produced.push(await produceInventory(world, { bucket: bucket.name, configId: config.id, at }));
    }
  }
  return produced;
}

function floorToHour(time: Date): Date {
  return new Date(Math.floor(time.getTime() / 3_600_000) * 3_600_000);
}
