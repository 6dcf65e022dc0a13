// What sees a bucket's writes downstream: GetBucketReplication, GetBucketNotificationConfiguration,
// and the replication status of a sample of its versions. Read-only. A refusal is never read as
// "none": it is "cannot tell", with the permission the runner's role lacks.
import {
  GetBucketNotificationConfigurationCommand,
  GetBucketReplicationCommand,
  ListObjectVersionsCommand,
  type FilterRule,
  type ReplicationRule as SdkReplicationRule,
} from '@aws-sdk/client-s3';
import type { AwsClients } from './clients';
import { awsErrorCode, isAwsError } from './errors';
import { headVersion } from './objects';
import { versionIdFromAnswer } from './version-call';
import type { ReplicationConfiguration, ReplicationRule } from '../core/replication';
import { EVENTBRIDGE_DESTINATION, type NotificationDestination } from '../core/notifications';

/** A configuration that was read, one that does not exist, or why it could not be read. */
export type ConfigurationRead<T> =
  { readonly value: T } | { readonly none: true } | { readonly cannotTell: string; readonly unsupported?: true };

/**
 * An endpoint that does not implement the call (a local emulator: AWS S3 implements both) answers
 * NotImplemented; that is "cannot tell" too, marked unsupported so the report can say why.
 */
function refusal(error: unknown, call: string, permission: string): { cannotTell: string; unsupported?: true } {
  const code = awsErrorCode(error) ?? (error as Error).message;
  if (isAwsError(error, 'NotImplemented'))
    return { cannotTell: `${call}: the endpoint does not implement it (${code})`, unsupported: true };
  return { cannotTell: `${call} was refused (${code}): give the runner's role ${permission}` };
}

/** The bucket's replication configuration, or none (ReplicationConfigurationNotFoundError). */
export async function readReplication(
  clients: Pick<AwsClients, 's3'>,
  bucket: string,
): Promise<ConfigurationRead<ReplicationConfiguration>> {
  try {
    const out = await clients.s3.send(new GetBucketReplicationCommand({ Bucket: bucket }));
    const config = out.ReplicationConfiguration;
    if (!config) return { none: true };
    return { value: { role: config.Role ?? '', rules: (config.Rules ?? []).map(ruleOf) } };
  } catch (error) {
    if (isAwsError(error, 'ReplicationConfigurationNotFoundError')) return { none: true };
    return refusal(error, `GetBucketReplication on ${bucket}`, 's3:GetReplicationConfiguration on the bucket');
  }
}

function ruleOf(rule: SdkReplicationRule, index: number): ReplicationRule {
  const filter = rule.Filter;
  const tags = [...(filter?.Tag ? [filter.Tag] : []), ...(filter?.And?.Tags ?? [])].map((t) => `${t.Key ?? ''}=${t.Value ?? ''}`);
  return {
    id: rule.ID || `rule ${index + 1}`,
    enabled: rule.Status === 'Enabled',
    // V2 rules filter with Filter; V1 rules (no Filter) name a Prefix on the rule itself.
    prefix: filter?.Prefix ?? filter?.And?.Prefix ?? rule.Prefix ?? '',
    tags,
    deleteMarkerReplication: rule.DeleteMarkerReplication?.Status === 'Enabled',
    sseKmsOptIn: rule.SourceSelectionCriteria?.SseKmsEncryptedObjects?.Status === 'Enabled',
    destinationBucket: rule.Destination?.Bucket ?? '',
    ...(rule.Destination?.Account ? { destinationAccount: rule.Destination.Account } : {}),
    ...(rule.Destination?.EncryptionConfiguration?.ReplicaKmsKeyID
      ? { replicaKmsKeyId: rule.Destination.EncryptionConfiguration.ReplicaKmsKeyID }
      : {}),
  };
}

/** Every destination of the bucket's notification configuration; none when it has none. */
export async function readNotifications(
  clients: Pick<AwsClients, 's3'>,
  bucket: string,
): Promise<ConfigurationRead<NotificationDestination[]>> {
  try {
    const out = await clients.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
    const destinations: NotificationDestination[] = [
      ...(out.TopicConfigurations ?? []).map((c) => destinationOf('topic', c.TopicArn, c.Id, c.Events, c.Filter?.Key?.FilterRules)),
      ...(out.QueueConfigurations ?? []).map((c) => destinationOf('queue', c.QueueArn, c.Id, c.Events, c.Filter?.Key?.FilterRules)),
      ...(out.LambdaFunctionConfigurations ?? []).map((c) =>
        destinationOf('lambda', c.LambdaFunctionArn, c.Id, c.Events, c.Filter?.Key?.FilterRules),
      ),
      ...(out.EventBridgeConfiguration ? [destinationOf('eventbridge', EVENTBRIDGE_DESTINATION, undefined, ['*'], undefined)] : []),
    ];
    return destinations.length === 0 ? { none: true } : { value: destinations };
  } catch (error) {
    return refusal(error, `GetBucketNotificationConfiguration on ${bucket}`, 's3:GetBucketNotification on the bucket');
  }
}

function destinationOf(
  kind: NotificationDestination['kind'],
  arn: string | undefined,
  id: string | undefined,
  events: readonly string[] | undefined,
  rules: readonly FilterRule[] | undefined,
): NotificationDestination {
  // S3 accepts the rule names in either case ("prefix", "Prefix").
  const rule = (name: string) => rules?.find((r) => r.Name?.toLowerCase() === name)?.Value ?? '';
  return { kind, arn: arn ?? '', ...(id ? { id } : {}), events: [...(events ?? [])], prefix: rule('prefix'), suffix: rule('suffix') };
}

/** Replication statuses found on a sample of the bucket's versions under a prefix. */
export interface ReplicaSample {
  readonly sampled: number;
  /** Versions whose HeadObject says x-amz-replication-status: REPLICA. */
  readonly replicas: number;
}

/**
 * HeadObject of the first `size` versions under `prefix`: a replica carries
 * `x-amz-replication-status: REPLICA`, the only sign of a replication source on the destination side
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-status.html).
 */
export async function sampleReplicaStatus(
  clients: Pick<AwsClients, 's3'>,
  bucket: string,
  prefix: string,
  size: number,
): Promise<ReplicaSample | { readonly cannotTell: string }> {
  try {
    const page = await clients.s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, MaxKeys: size }));
    let sampled = 0;
    let replicas = 0;
    for (const v of page.Versions ?? []) {
      if (!v.Key) continue;
      // A version HeadObject cannot read (SSE-C without its key, deleted since the listing) is left out of the sample.
      const head = await headVersion(clients.s3, bucket, v.Key, versionIdFromAnswer(v.VersionId)).catch(() => undefined);
      if (!head) continue;
      sampled++;
      if (head.replicationStatus === 'REPLICA') replicas++;
    }
    return { sampled, replicas };
  } catch (error) {
    return {
      cannotTell: `the replication status of ${bucket}'s versions could not be read (${awsErrorCode(error) ?? (error as Error).message})`,
    };
  }
}
