// The sandbox's public surface: the only module code outside sandbox/ imports (besides the test
// fixtures in sandbox/support/, for test/), enforced by `sandbox-public-surface` in
// .dependency-cruiser.cjs. Tests, the CLI, the rehearsal and the benches import from here.
export { startSandbox, type Sandbox, type SandboxOptions } from './sandbox';
export { SandboxServices, type SandboxServicesProps } from './composition';
export type { ServiceFactory } from './services';
export { createSandboxClients, SANDBOX_CREDENTIALS, type SandboxClients, type SandboxClientsProps } from './clients';
export { SandboxWorld, type SandboxWorldProps, type StatePart } from './world';
export type { ServiceHandler } from './http/registry';
export { ServiceRegistry } from './http/registry';
export type { SandboxRequest, SandboxResponse } from './http/request';
export { JsonProtocolHandler, type JsonOperation } from './http/json-protocol';
export { FaultInjector, type FaultConfig, type FaultRule } from './faults';
export { meterRequests, type RequestMeter, type RequestCounts } from './request-meter';
export { Imitations, IMITATION_KINDS, parseImitation, type Imitation, type ImitationKind } from './imitations';
export { seedWorld, HARD_KEY_STEMS, maxLengthKey, type SeedSpec, type SeedBucketSpec, type SeedSummary } from './seed';
export { ServiceError, SandboxConfigError, SandboxStateError } from './errors';
export type { S3World } from './s3/world';
export type { ObjectVersion } from './s3/model';
export { bytesBody } from './s3/body';
export type { KmsWorld } from './kms/world';
export type { IamWorld } from './iam/world';
export type { BatchOperations } from './s3control/batch-operations';
export type { AccessPoints } from './s3control/access-points';
export type { GlueWorld } from './glue/world';
export type { AthenaWorld } from './athena/world';
export { produceInventory, type ProducedInventory, type ProduceInventoryInput } from './inventory/producer';
export { produceAllInventories } from './analytics';
export { REPORT_FIELDS, type ReportField } from './inventory/report-fields';
export { startMoto, type MotoServer, type StartMotoOptions } from './conformance/moto-server';
export type { EventLog, FiredEvent, EventQuery } from './s3/event-log';
export type { Replication, ReplicationOutcome, ReplicationFailureReason } from './s3/replication';
export type { ReplicationConfiguration, ReplicationRule } from './s3/replication-config';
export {
  NOTIFICATION_EVENTS,
  type NotificationConfiguration,
  type NotificationDestination,
  type NotificationEventName,
  type FiredEventName,
} from './s3/notification-config';
