// What each Terraform resource type our stacks use does when applied to the sandbox: the calls the
// AWS provider would make, through SDK clients pointed at the sandbox (the runner's, in the demo).
// A type not listed here is an error, never skipped.
import { CreateAliasCommand, CreateKeyCommand, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  GetBucketPolicyCommand,
  PutBucketEncryptionCommand,
  PutBucketInventoryConfigurationCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  type LifecycleRule,
} from '@aws-sdk/client-s3';
import { CreateDatabaseCommand, CreateTableCommand } from '@aws-sdk/client-glue';
import { CreateWorkGroupCommand } from '@aws-sdk/client-athena';
import type { SandboxClients } from '../../sandbox';
import { PolicyDocumentBlock, renderPolicyDocument } from './iam-policy-document';
import { ApplyError } from './plan';

export type Attributes = Record<string, unknown>;

/** What a resource handler may use: the SDK clients, and IAM, which the sandbox keeps in-process. */
export interface ApplyContext {
  readonly clients: SandboxClients;
  readonly accountId: string;
  readonly region: string;
  readonly iam: {
    createRole(input: { roleName: string; assumeRolePolicyDocument: string; path?: string }): { arn: string; roleName: string };
    putRolePolicy(roleName: string, policyName: string, policyDocument: string): void;
  };
  /** Unique suffix for names Terraform would generate from a prefix. */
  uniqueSuffix(): string;
}

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment -- a synthesized stack's resource arguments are untyped JSON by nature; the SDK command inputs they fill are typed and the stack tests check the JSON */
type Handler = (args: Record<string, any>, ctx: ApplyContext) => Promise<Attributes>;

// Nested blocks arrive as an object (single blocks) or a list of one: accept both, as HCL does.
function one<T = Record<string, any>>(block: unknown): T | undefined {
  if (Array.isArray(block)) return block[0] as T | undefined;
  return (block ?? undefined) as T | undefined;
}

function many<T = Record<string, any>>(block: unknown): T[] {
  if (block === undefined || block === null) return [];
  return (Array.isArray(block) ? block : [block]) as T[];
}

function bucketArn(name: string): string {
  return `arn:aws:s3:::${name}`;
}

function lifecycleRule(rule: Record<string, any>): LifecycleRule {
  const filter = one(rule.filter);
  const expiration = one(rule.expiration);
  const abort = one(rule.abort_incomplete_multipart_upload);
  const noncurrent = one(rule.noncurrent_version_expiration);
  return {
    ID: rule.id,
    Status: rule.status,
    Filter: { Prefix: filter?.prefix ?? '' },
    ...(expiration ? { Expiration: { Days: expiration.days } } : {}),
    ...(abort ? { AbortIncompleteMultipartUpload: { DaysAfterInitiation: abort.days_after_initiation } } : {}),
    ...(noncurrent
      ? {
          NoncurrentVersionExpiration: {
            NoncurrentDays: noncurrent.noncurrent_days,
            NewerNoncurrentVersions: noncurrent.newer_noncurrent_versions,
          },
        }
      : {}),
  };
}

const DATA_SOURCES: Record<string, Handler> = {
  aws_iam_policy_document: async (args) => ({ json: JSON.stringify(renderPolicyDocument(args as PolicyDocumentBlock)) }),
  aws_s3_bucket_policy: async (args, ctx) => {
    const out = await ctx.clients.s3.send(new GetBucketPolicyCommand({ Bucket: args.bucket }));
    return { bucket: args.bucket, policy: out.Policy };
  },
};

const RESOURCES: Record<string, Handler> = {
  aws_kms_key: async (args, ctx) => {
    // The key policy is stored on the key and enforced, lockout safety check included, as KMS does.
    const out = await ctx.clients.kms.send(
      new CreateKeyCommand({
        Description: args.description,
        Policy: args.policy,
        BypassPolicyLockoutSafetyCheck: args.bypass_policy_lockout_safety_check,
        KeyUsage: args.key_usage,
        KeySpec: args.customer_master_key_spec,
      }),
    );
    const meta = out.KeyMetadata!;
    return { id: meta.KeyId, key_id: meta.KeyId, arn: meta.Arn };
  },
  aws_kms_key_policy: async (args, ctx) => {
    await ctx.clients.kms.send(
      new PutKeyPolicyCommand({
        KeyId: args.key_id,
        PolicyName: 'default',
        Policy: args.policy,
        BypassPolicyLockoutSafetyCheck: args.bypass_policy_lockout_safety_check,
      }),
    );
    return { id: args.key_id };
  },
  aws_kms_alias: async (args, ctx) => {
    await ctx.clients.kms.send(new CreateAliasCommand({ AliasName: args.name, TargetKeyId: args.target_key_id }));
    return {
      id: args.name,
      name: args.name,
      arn: `arn:aws:kms:${ctx.region}:${ctx.accountId}:${args.name}`,
      target_key_id: args.target_key_id,
    };
  },
  aws_s3_bucket: async (args, ctx) => {
    const name: string = args.bucket ?? `${args.bucket_prefix ?? 'terraform-'}${ctx.uniqueSuffix()}`;
    await ctx.clients.s3.send(
      new CreateBucketCommand({
        Bucket: name,
        ...(ctx.region !== 'us-east-1' ? { CreateBucketConfiguration: { LocationConstraint: ctx.region as never } } : {}),
      }),
    );
    return { id: name, bucket: name, arn: bucketArn(name), region: ctx.region };
  },
  aws_s3_bucket_public_access_block: async (args, ctx) => {
    await ctx.clients.s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: args.bucket,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: args.block_public_acls,
          BlockPublicPolicy: args.block_public_policy,
          IgnorePublicAcls: args.ignore_public_acls,
          RestrictPublicBuckets: args.restrict_public_buckets,
        },
      }),
    );
    return { id: args.bucket };
  },
  aws_s3_bucket_ownership_controls: async (args, ctx) => {
    await ctx.clients.s3.send(
      new PutBucketOwnershipControlsCommand({
        Bucket: args.bucket,
        OwnershipControls: { Rules: [{ ObjectOwnership: one(args.rule)!.object_ownership }] },
      }),
    );
    return { id: args.bucket };
  },
  aws_s3_bucket_server_side_encryption_configuration: async (args, ctx) => {
    await ctx.clients.s3.send(
      new PutBucketEncryptionCommand({
        Bucket: args.bucket,
        ServerSideEncryptionConfiguration: {
          Rules: many(args.rule).map((rule) => {
            const byDefault = one(rule.apply_server_side_encryption_by_default)!;
            return {
              ApplyServerSideEncryptionByDefault: { SSEAlgorithm: byDefault.sse_algorithm, KMSMasterKeyID: byDefault.kms_master_key_id },
              BucketKeyEnabled: rule.bucket_key_enabled,
            };
          }),
        },
      }),
    );
    return { id: args.bucket };
  },
  aws_s3_bucket_versioning: async (args, ctx) => {
    await ctx.clients.s3.send(
      new PutBucketVersioningCommand({
        Bucket: args.bucket,
        VersioningConfiguration: { Status: one(args.versioning_configuration)!.status },
      }),
    );
    return { id: args.bucket };
  },
  aws_s3_bucket_policy: async (args, ctx) => {
    await ctx.clients.s3.send(new PutBucketPolicyCommand({ Bucket: args.bucket, Policy: args.policy }));
    return { id: args.bucket };
  },
  aws_s3_bucket_lifecycle_configuration: async (args, ctx) => {
    await ctx.clients.s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: args.bucket,
        LifecycleConfiguration: { Rules: many(args.rule).map(lifecycleRule) },
      }),
    );
    return { id: args.bucket };
  },
  aws_s3_bucket_inventory: async (args, ctx) => {
    const destination = one(one(args.destination)!.bucket)!;
    const sseKms = one(one(destination.encryption)?.sse_kms);
    const filter = one(args.filter);
    await ctx.clients.s3.send(
      new PutBucketInventoryConfigurationCommand({
        Bucket: args.bucket,
        Id: args.name,
        InventoryConfiguration: {
          Id: args.name,
          IsEnabled: args.enabled ?? true,
          IncludedObjectVersions: args.included_object_versions,
          OptionalFields: args.optional_fields,
          Schedule: { Frequency: one(args.schedule)!.frequency },
          ...(filter?.prefix ? { Filter: { Prefix: filter.prefix } } : {}),
          Destination: {
            S3BucketDestination: {
              AccountId: destination.account_id,
              Bucket: destination.bucket_arn,
              Format: destination.format,
              Prefix: destination.prefix,
              ...(sseKms ? { Encryption: { SSEKMS: { KeyId: sseKms.key_id } } } : {}),
            },
          },
        },
      }),
    );
    return { id: `${args.bucket}:${args.name}` };
  },
  aws_glue_catalog_database: async (args, ctx) => {
    await ctx.clients.glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: args.name, Description: args.description } }));
    return {
      id: `${ctx.accountId}:${args.name}`,
      name: args.name,
      arn: `arn:aws:glue:${ctx.region}:${ctx.accountId}:database/${args.name}`,
    };
  },
  aws_glue_catalog_table: async (args, ctx) => {
    const sd = one(args.storage_descriptor) ?? {};
    const serde = one(sd.ser_de_info) ?? {};
    await ctx.clients.glue.send(
      new CreateTableCommand({
        DatabaseName: args.database_name,
        TableInput: {
          Name: args.name,
          TableType: args.table_type,
          Parameters: args.parameters,
          PartitionKeys: many(args.partition_keys).map((k) => ({ Name: k.name, Type: k.type })),
          StorageDescriptor: {
            Location: sd.location,
            InputFormat: sd.input_format,
            OutputFormat: sd.output_format,
            SerdeInfo: { SerializationLibrary: serde.serialization_library, Parameters: serde.parameters },
            Columns: many(sd.columns).map((c) => ({ Name: c.name, Type: c.type })),
          },
        },
      }),
    );
    return { id: `${ctx.accountId}:${args.database_name}:${args.name}`, name: args.name };
  },
  aws_athena_workgroup: async (args, ctx) => {
    const configuration = one(args.configuration) ?? {};
    const result = one(configuration.result_configuration) ?? {};
    const encryption = one(result.encryption_configuration);
    await ctx.clients.athena.send(
      new CreateWorkGroupCommand({
        Name: args.name,
        Description: args.description,
        Configuration: {
          EnforceWorkGroupConfiguration: configuration.enforce_workgroup_configuration,
          PublishCloudWatchMetricsEnabled: configuration.publish_cloudwatch_metrics_enabled,
          BytesScannedCutoffPerQuery: configuration.bytes_scanned_cutoff_per_query,
          ResultConfiguration: {
            OutputLocation: result.output_location,
            ExpectedBucketOwner: result.expected_bucket_owner,
            ...(encryption
              ? { EncryptionConfiguration: { EncryptionOption: encryption.encryption_option, KmsKey: encryption.kms_key_arn } }
              : {}),
          },
        },
      }),
    );
    return { id: args.name, name: args.name, arn: `arn:aws:athena:${ctx.region}:${ctx.accountId}:workgroup/${args.name}` };
  },
  aws_iam_role: async (args, ctx) => {
    const role = ctx.iam.createRole({ roleName: args.name, assumeRolePolicyDocument: args.assume_role_policy, path: args.path });
    return { id: role.roleName, name: role.roleName, arn: role.arn };
  },
  // Inline policies count where a key policy delegates to the account (IAM decides).
  aws_iam_role_policy: async (args, ctx) => {
    ctx.iam.putRolePolicy(String(args.role), String(args.name), String(args.policy));
    return { id: `${args.role}:${args.name}`, policy: args.policy };
  },
};

export function handlerFor(mode: 'managed' | 'data', type: string, address: string): Handler {
  const handler = (mode === 'data' ? DATA_SOURCES : RESOURCES)[type];
  if (!handler) {
    const supported = Object.keys(mode === 'data' ? DATA_SOURCES : RESOURCES)
      .sort()
      .join(', ');
    throw new ApplyError(
      `${address}: the sandbox apply does not support ${mode === 'data' ? 'data source' : 'resource type'} ${type}. Supported: ${supported}`,
    );
  }
  return handler;
}
