// Attaches Batch Operations to a SandboxWorld without changing its class: one engine per world,
// created on first use, and the ServiceFactory the assembly lists. IAM now lives on the world.
import type { ServiceHandler } from '../http/registry';
import type { IamWorld } from '../iam/world';
import type { SandboxWorld } from '../world';
import { BatchOperations, type BatchOperationsProps } from './batch-operations';
import { S3ControlHandler } from './handler';

const batchOperations = new WeakMap<SandboxWorld, BatchOperations>();

/** The world's IAM roles (the role a Batch Operations job names must exist here). */
export function iamOf(world: SandboxWorld): IamWorld {
  return world.iam;
}

/** The world's Batch Operations engine; `props` apply only when it is created. */
export function batchOperationsOf(world: SandboxWorld, props?: BatchOperationsProps): BatchOperations {
  let jobs = batchOperations.get(world);
  if (!jobs) {
    jobs = new BatchOperations({ s3: world.s3, iam: iamOf(world), accountId: world.accountId, region: world.region, now: world.now }, props);
    batchOperations.set(world, jobs);
  }
  return jobs;
}

/** The S3 Control service for the sandbox's service list. */
export function s3ControlService(world: SandboxWorld): ServiceHandler {
  return new S3ControlHandler(batchOperationsOf(world));
}
