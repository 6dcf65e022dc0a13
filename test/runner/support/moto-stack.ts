// A migration stack's world on moto, which cdktf cannot deploy to: the migration key and its alias,
// a versioned data bucket and reports bucket, the stack's default encryption, and the outputs file
// the runner reads. The moto-world test and the bench's moto part (bench/moto.ts) both start here.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateBucketCommand, PutBucketEncryptionCommand, PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { CreateAliasCommand, CreateKeyCommand } from '@aws-sdk/client-kms';
import type { AwsClients } from '../../../runner/aws/clients';

export interface MotoStackProps {
  readonly stack: string;
  /** The one migrated bucket. */
  readonly bucket: string;
  /** @default 'kmsmig-reports' */
  readonly reportsBucket?: string;
  /** @default 'alias/moto-migration' */
  readonly keyAlias?: string;
}

export interface MotoStack {
  readonly stack: string;
  readonly bucket: string;
  readonly reportsBucket: string;
  readonly keyArn: string;
  readonly outputsFile: string;
  /** Removes the outputs file's folder. */
  cleanup(): void;
}

/**
 * Creates the key and both buckets, lets `seed` write the customer objects (before default
 * encryption, so unencrypted objects stay unencrypted), then applies what the stack deploys:
 * default encryption with the key and a Bucket Key. Writes the outputs the runner reads.
 */
export async function createMotoStack(clients: AwsClients, props: MotoStackProps, seed: () => Promise<void>): Promise<MotoStack> {
  const reportsBucket = props.reportsBucket ?? 'kmsmig-reports';
  const keyAlias = props.keyAlias ?? 'alias/moto-migration';
  const key = (await clients.kms.send(new CreateKeyCommand({ Description: 'migration key' }))).KeyMetadata!;
  await clients.kms.send(new CreateAliasCommand({ AliasName: keyAlias, TargetKeyId: key.KeyId }));
  for (const bucket of [props.bucket, reportsBucket]) {
    await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await clients.s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  }
  await seed();
  for (const bucket of [props.bucket, reportsBucket]) {
    await clients.s3.send(
      new PutBucketEncryptionCommand({
        Bucket: bucket,
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key.Arn }, BucketKeyEnabled: true }],
        },
      }),
    );
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'moto-stack-'));
  const outputsFile = path.join(dir, 'outputs.json');
  const outputs = {
    stack: props.stack,
    region: 'us-east-1',
    account_id: '123456789012',
    kms_key_arn: key.Arn,
    kms_key_alias: keyAlias,
    inventory_bucket: 'kmsmig-inventory',
    glue_database: 'kmsmig_inventory',
    athena_workgroup: 'kmsmig',
    reports_bucket: reportsBucket,
    reports_prefix: `${props.stack}/`,
    batch_operations_role_arn: 'arn:aws:iam::123456789012:role/kmsmig-batch',
    noncurrent_days: 30,
    newer_noncurrent_versions: 0,
    buckets: {
      [props.bucket]: {
        bucket: props.bucket,
        prefix_filter: '',
        inventory_config_id: 'kms-migration',
        inventory_format: 'CSV',
        inventory_frequency: 'Daily',
        inventory_location: `s3://kmsmig-inventory/inventory/${props.bucket}/kms-migration/`,
        // moto has no Glue or Athena: the runner works from a listing (--from-listing).
        glue_table: `inventory_${props.bucket.replace(/[^a-z0-9]/g, '_')}`,
        versioning: true,
        uses_acls: false,
        object_lock: false,
      },
    },
  };
  fs.writeFileSync(outputsFile, JSON.stringify({ [props.stack]: outputs }));
  return {
    stack: props.stack,
    bucket: props.bucket,
    reportsBucket,
    keyArn: key.Arn!,
    outputsFile,
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
