// The sandbox's public surface for tests, the CLI, the rehearsal and issue-4 engines.
export { startSandbox, type Sandbox, type SandboxOptions } from './sandbox';
export { createSandboxClients, SANDBOX_CREDENTIALS, type SandboxClients, type SandboxClientsProps } from './clients';
export { SandboxWorld, type SandboxWorldProps, type StatePart } from './world';
export type { ServiceHandler } from './http/registry';
export { ServiceRegistry } from './http/registry';
export type { SandboxRequest, SandboxResponse } from './http/request';
export { JsonProtocolHandler, type JsonOperation } from './http/json-protocol';
export { FaultInjector, type FaultConfig, type FaultRule } from './faults';
export { Imitations, IMITATION_KINDS, parseImitation, type Imitation, type ImitationKind } from './imitations';
export { seedWorld, HARD_KEY_STEMS, maxLengthKey, type SeedSpec, type SeedBucketSpec } from './seed';
export { ServiceError, SandboxConfigError, SandboxStateError } from './errors';
export type { S3World } from './s3/world';
export type { KmsWorld } from './kms/world';
export type { EventLog, FiredEvent, EventQuery } from './s3/event-log';
export type { Replication, ReplicationOutcome, ReplicationFailureReason } from './s3/replication';
export type { ReplicationConfiguration, ReplicationRule } from './s3/replication-config';
export { NOTIFICATION_EVENTS, type NotificationConfiguration, type NotificationDestination, type NotificationEventName, type FiredEventName } from './s3/notification-config';
