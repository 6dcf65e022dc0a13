// Schemas of what state.json holds for replication and notifications (each bucket's configurations,
// the event log): saved state is outside the process, so it is parsed, not cast. The CLI's
// `events` command reads the log through the same schema.
import { z } from 'zod';
import { NOTIFICATION_EVENTS } from './notification-config';

const status = z.enum(['Enabled', 'Disabled']);

export const replicationConfigurationSchema = z.object({
  role: z.string(),
  rules: z.array(
    z.object({
      id: z.string(),
      priority: z.number().int().optional(),
      status,
      filter: z.object({ prefix: z.string().optional(), tags: z.record(z.string(), z.string()) }).optional(),
      prefix: z.string().optional(),
      deleteMarkerReplication: status.optional(),
      sseKmsEncryptedObjects: status.optional(),
      destination: z.object({
        bucketArn: z.string(),
        account: z.string().optional(),
        storageClass: z.string().optional(),
        replicaKmsKeyId: z.string().optional(),
        metrics: status.optional(),
      }),
    }),
  ),
});

export const notificationConfigurationSchema = z.object({
  destinations: z.array(
    z.object({
      kind: z.enum(['Topic', 'Queue', 'LambdaFunction']),
      id: z.string(),
      arn: z.string(),
      events: z.array(z.enum(NOTIFICATION_EVENTS)),
      filter: z.object({ prefix: z.string().optional(), suffix: z.string().optional() }),
    }),
  ),
  eventBridge: z.boolean(),
});

const firedEventNames = NOTIFICATION_EVENTS.filter((e) => !e.endsWith('*')) as [
  Exclude<(typeof NOTIFICATION_EVENTS)[number], `${string}*`>,
  ...Exclude<(typeof NOTIFICATION_EVENTS)[number], `${string}*`>[],
];

export const firedEventSchema = z.object({
  sequence: z.number().int(),
  eventName: z.enum(firedEventNames),
  destinationKind: z.enum(['Topic', 'Queue', 'LambdaFunction', 'EventBridge']),
  destinationArn: z.string(),
  configurationId: z.string().optional(),
  bucket: z.string(),
  key: z.string(),
  versionId: z.string().optional(),
  size: z.number().optional(),
  eTag: z.string().optional(),
  eventTime: z.string(),
});

export const savedEventLogSchema = z.array(firedEventSchema);
