// Attaches Batch Operations and access points to a SandboxWorld without changing its class: one
// engine and one access point registry per world, created on first use, and the ServiceFactory the
// assembly lists. IAM lives on the world itself.
import type { ServiceHandler } from '../http/registry';
import type { IamWorld } from '../iam/world';
import { AccessPoints } from './access-points';
import type { SandboxWorld } from '../world';
import { BatchOperations, type BatchOperationsProps } from './batch-operations';
import { S3ControlHandler } from './handler';

const batchOperations = new WeakMap<SandboxWorld, BatchOperations>();
const accessPoints = new WeakMap<SandboxWorld, AccessPoints>();

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

/** The world's S3 access points. */
export function accessPointsOf(world: SandboxWorld): AccessPoints {
  let points = accessPoints.get(world);
  if (!points) {
    points = new AccessPoints({ s3: world.s3, accountId: world.accountId, region: world.region });
    accessPoints.set(world, points);
  }
  return points;
}

/** The S3 Control service for the sandbox's service list. */
export function s3ControlService(world: SandboxWorld): ServiceHandler {
  return new S3ControlHandler(batchOperationsOf(world), accessPointsOf(world));
}
