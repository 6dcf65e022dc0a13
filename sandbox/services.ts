// The list of services the sandbox serves, each a handler over the parts SandboxServices owns. A new
// service is one ServiceHandler in its own folder, its state in composition.ts, plus one line here.
import { AthenaHandler } from './athena/handler';
import type { SandboxServices } from './composition';
import { GlueHandler } from './glue/handler';
import type { ServiceHandler } from './http/registry';
import { KmsHandler } from './kms/handler';
import { S3ControlHandler } from './s3control/handler';
import { S3Handler } from './s3/handler';
import { StsHandler } from './sts/handler';

export type ServiceFactory = (services: SandboxServices) => ServiceHandler;

export const DEFAULT_SERVICES: readonly ServiceFactory[] = [
  ({ world, imitations }) => new S3Handler(world, imitations),
  ({ world }) => new KmsHandler(world.kms, world.identities),
  ({ world }) => new StsHandler(world.identities),
  ({ batchOperations, accessPoints }) => new S3ControlHandler(batchOperations, accessPoints),
  ({ glue }) => new GlueHandler(glue),
  ({ athena }) => new AthenaHandler(athena),
];
