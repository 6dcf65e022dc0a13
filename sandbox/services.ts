// The list of services the sandbox serves. A new service (Glue, Athena, S3 Control) is one
// ServiceHandler in its own folder plus one line here.
import { ANALYTICS_SERVICES } from './analytics';
import type { ServiceHandler } from './http/registry';
import { KmsHandler } from './kms/handler';
import { s3ControlService } from './s3control/sandbox-parts';
import { S3Handler } from './s3/handler';
import { StsHandler } from './sts/handler';
import type { SandboxWorld } from './world';

export type ServiceFactory = (world: SandboxWorld) => ServiceHandler;

export const DEFAULT_SERVICES: readonly ServiceFactory[] = [
  (world) => new S3Handler(world),
  (world) => new KmsHandler(world.kms, world.identities),
  (world) => new StsHandler(world.identities),
  s3ControlService,
  // Glue and Athena (issue 4): see analytics.ts.
  ...ANALYTICS_SERVICES,
];
