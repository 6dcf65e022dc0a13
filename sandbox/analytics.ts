// S3 Inventory on demand for the whole world: what S3's daily inventory job would deliver now.
import { produceInventory, type ProducedInventory } from './inventory/producer';
import type { SandboxWorld } from './world';

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
