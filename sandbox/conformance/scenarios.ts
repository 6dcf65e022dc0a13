// Conformance scenarios: each drives one behaviour through the SDK and returns observations with
// volatile values (version ids, key ids, dates) replaced by stable names, so the same scenario's
// answers from the sandbox and from moto can be compared field by field.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  RestoreObjectCommand,
  UploadPartCopyCommand,
  DeleteBucketCommand,
  DeleteBucketInventoryConfigurationCommand,
  DeleteBucketReplicationCommand,
  GetBucketNotificationConfigurationCommand,
  GetBucketReplicationCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketReplicationCommand,
  DeleteObjectCommand,
  DeleteObjectTaggingCommand,
  GetBucketEncryptionCommand,
  GetBucketInventoryConfigurationCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListBucketInventoryConfigurationsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketEncryptionCommand,
  PutBucketInventoryConfigurationCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  UpdateObjectEncryptionCommand,
  type InventoryConfiguration,
  type LifecycleRule,
} from '@aws-sdk/client-s3';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  GetKeyPolicyCommand,
  ListAliasesCommand,
  PutKeyPolicyCommand,
} from '@aws-sdk/client-kms';
import {
  CreateAccessPointCommand,
  GetAccessPointPolicyCommand,
  ListAccessPointsCommand,
  PutAccessPointPolicyCommand,
} from '@aws-sdk/client-s3-control';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { createSandboxClients, type SandboxClients } from '../clients';
import { captureResponseHeaders } from '../support/response-headers';

export type Observations = Record<string, unknown>;
export type Scenario = (clients: SandboxClients, namespace: string) => Promise<Observations>;

/** Names volatile values in order of first appearance: the first version id seen is `v1`, and so on. */
class Namer {
  private readonly names = new Map<string, string>();
  constructor(private readonly prefix: string) {}
  name(value: string | undefined): string | undefined {
    if (value === undefined) return undefined;
    let name = this.names.get(value);
    if (!name) {
      name = `${this.prefix}${this.names.size + 1}`;
      this.names.set(value, name);
    }
    return name;
  }
}

/** `ok`, or the error's name and HTTP status, as the SDK reports them. */
async function outcome(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'ok';
  } catch (error) {
    const e = error as { name: string; $metadata?: { httpStatusCode?: number } };
    return `${e.name} ${e.$metadata?.httpStatusCode ?? '?'}`;
  }
}

async function bucketWithVersioning(c: SandboxClients, bucket: string): Promise<void> {
  await c.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await c.s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
}

export const scenarios: Record<string, Scenario> = {
  async versioning(c, ns) {
    const bucket = `${ns}-versioning`;
    const ids = new Namer('v');
    await c.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const before = (await c.s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status ?? 'none';
    const unversionedPut = await c.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'pre', Body: 'pre' }));
    await c.s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    const first = await c.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'one' }));
    await c.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'two' }));
    const deleted = await c.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k' }));
    const versions = await c.s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    const oldBody = await (
      await c.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k', VersionId: first.VersionId }))
    ).Body!.transformToString();
    return {
      statusBefore: before,
      statusAfter: (await c.s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status,
      unversionedPutVersionId: unversionedPut.VersionId ?? 'none',
      firstVersionIdLength: first.VersionId?.length,
      deleteCreatedMarker: deleted.DeleteMarker,
      versions: (versions.Versions ?? []).map((v) => [v.Key, ids.name(v.VersionId), v.IsLatest, v.Size]),
      deleteMarkers: (versions.DeleteMarkers ?? []).map((m) => [m.Key, m.IsLatest]),
      preVersionId: versions.Versions?.find((v) => v.Key === 'pre')?.VersionId,
      getCurrentAfterDelete: await outcome(c.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }))),
      oldVersionBody: oldBody,
    };
  },

  async copyInPlaceWithSseKms(c, ns) {
    const bucket = `${ns}-copy-kms`;
    await bucketWithVersioning(c, bucket);
    const key = (await c.kms.send(new CreateKeyCommand({ Description: 'target' }))).KeyMetadata!;
    await c.s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'data/report 1.csv',
        Body: 'a,b\n1,2\n',
        ContentType: 'text/csv',
        Metadata: { origin: 'etl' },
        Tagging: 'team=payments',
      }),
    );
    const copy = await c.s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: 'data/report 1.csv',
        CopySource: `${bucket}/${encodeURIComponent('data/report 1.csv')}`,
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: key.KeyId,
        BucketKeyEnabled: true,
      }),
    );
    const head = await c.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'data/report 1.csv' }));
    const tags = await c.s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'data/report 1.csv' }));
    const versions = await c.s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    return {
      copySse: copy.ServerSideEncryption,
      copyKeyId: copy.SSEKMSKeyId === key.Arn ? 'key-arn' : copy.SSEKMSKeyId === key.KeyId ? 'key-id' : copy.SSEKMSKeyId,
      copyBucketKey: copy.BucketKeyEnabled,
      headSse: head.ServerSideEncryption,
      headKeyId: head.SSEKMSKeyId === key.Arn ? 'key-arn' : head.SSEKMSKeyId === key.KeyId ? 'key-id' : head.SSEKMSKeyId,
      headBucketKey: head.BucketKeyEnabled,
      contentType: head.ContentType,
      metadata: head.Metadata,
      tags: tags.TagSet,
      versionCount: versions.Versions?.length,
      newVersionIsLatest: versions.Versions?.find((v) => v.VersionId === copy.VersionId)?.IsLatest,
      body: await (await c.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'data/report 1.csv' }))).Body!.transformToString(),
    };
  },

  async copyInPlaceWithoutChangesIsRefused(c, ns) {
    const bucket = `${ns}-copy-self`;
    await c.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await c.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
    return { copyToItself: await outcome(c.s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'k', CopySource: `${bucket}/k` }))) };
  },

  async headObjectEncryptionFields(c, ns) {
    const bucket = `${ns}-head-sse`;
    await c.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const key = (await c.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await c.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 's3', Body: 'x', ServerSideEncryption: 'AES256' }));
    await c.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'kms', Body: 'x', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: key.Arn }));
    await c.s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'kms-bk',
        Body: 'x',
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: key.KeyId,
        BucketKeyEnabled: true,
      }),
    );
    await c.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'ia', Body: 'x', StorageClass: 'STANDARD_IA' }));
    const observe = async (k: string) => {
      const h = await c.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: k }));
      const keyField =
        h.SSEKMSKeyId === undefined
          ? 'no-key'
          : h.SSEKMSKeyId === key.Arn
            ? 'key-arn'
            : h.SSEKMSKeyId === key.KeyId
              ? 'key-id'
              : h.SSEKMSKeyId;
      return [h.ServerSideEncryption ?? 'none', keyField, h.BucketKeyEnabled ?? false, h.StorageClass ?? 'STANDARD'];
    };
    return { s3: await observe('s3'), kms: await observe('kms'), kmsBucketKey: await observe('kms-bk'), standardIa: await observe('ia') };
  },

  async bucketDefaultEncryption(c, ns) {
    const bucket = `${ns}-default-sse`;
    await c.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const key = (await c.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const initial = await c.s3
      .send(new GetBucketEncryptionCommand({ Bucket: bucket }))
      .then((r) => r.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm)
      .catch((e: { name: string }) => e.name);
    await c.s3.send(
      new PutBucketEncryptionCommand({
        Bucket: bucket,
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key.Arn }, BucketKeyEnabled: true }],
        },
      }),
    );
    const rule = (await c.s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }))).ServerSideEncryptionConfiguration?.Rules?.[0];
    await c.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
    const head = await c.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' }));
    return {
      initial,
      rule: [
        rule?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm,
        rule?.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID === key.Arn,
        rule?.BucketKeyEnabled,
      ],
      objectSse: head.ServerSideEncryption,
      objectKeyIsBucketKey: head.SSEKMSKeyId === key.Arn,
      objectBucketKey: head.BucketKeyEnabled ?? false,
    };
  },

  async tagging(c, ns) {
    const bucket = `${ns}-tagging`;
    await c.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await c.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x', Tagging: 'a=1&b=two%20words' }));
    const onPut = (await c.s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'k' }))).TagSet;
    const head = await c.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' }));
    await c.s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: 'k', Tagging: { TagSet: [{ Key: 'env', Value: 'prod' }] } }));
    const replaced = (await c.s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'k' }))).TagSet;
    await c.s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'copy-keep', CopySource: `${bucket}/k` }));
    await c.s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: 'copy-replace',
        CopySource: `${bucket}/k`,
        TaggingDirective: 'REPLACE',
        Tagging: 'new=yes',
      }),
    );
    await c.s3.send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: 'k' }));
    return {
      onPut,
      tagCount: head.TagCount,
      replaced,
      copyKeeps: (await c.s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'copy-keep' }))).TagSet,
      copyReplaces: (await c.s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'copy-replace' }))).TagSet,
      afterDelete: (await c.s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'k' }))).TagSet,
    };
  },

  async lifecycleRoundTrip(c, ns) {
    const bucket = `${ns}-lifecycle`;
    await c.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const rules: LifecycleRule[] = [
      { ID: 'expire-noncurrent', Status: 'Enabled', Filter: { Prefix: '' }, NoncurrentVersionExpiration: { NoncurrentDays: 30 } },
      { ID: 'archive-logs', Status: 'Enabled', Filter: { Prefix: 'logs/' }, Transitions: [{ Days: 90, StorageClass: 'GLACIER' }] },
    ];
    const missing = await outcome(c.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket })));
    await c.s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: rules } }));
    const first = (await c.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }))).Rules;
    await c.s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: [rules[0]!] } }));
    const replaced = (await c.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }))).Rules;
    return { missing, first, replacedIds: replaced?.map((r) => r.ID) };
  },

  async inventoryRoundTrip(c, ns) {
    const bucket = `${ns}-inventory`;
    await c.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await c.s3.send(new CreateBucketCommand({ Bucket: `${ns}-inventory-dest` }));
    const config: InventoryConfiguration = {
      Id: 'all-versions',
      IsEnabled: true,
      Destination: {
        S3BucketDestination: { Bucket: `arn:aws:s3:::${ns}-inventory-dest`, Format: 'CSV', Prefix: 'inventory', AccountId: '123456789012' },
      },
      IncludedObjectVersions: 'All',
      OptionalFields: ['Size', 'StorageClass', 'EncryptionStatus', 'BucketKeyStatus', 'IsMultipartUploaded', 'ObjectLockMode'],
      Schedule: { Frequency: 'Daily' },
    };
    const missing = await outcome(c.s3.send(new GetBucketInventoryConfigurationCommand({ Bucket: bucket, Id: 'all-versions' })));
    await c.s3.send(new PutBucketInventoryConfigurationCommand({ Bucket: bucket, Id: 'all-versions', InventoryConfiguration: config }));
    const got = (await c.s3.send(new GetBucketInventoryConfigurationCommand({ Bucket: bucket, Id: 'all-versions' })))
      .InventoryConfiguration;
    const listed = (await c.s3.send(new ListBucketInventoryConfigurationsCommand({ Bucket: bucket }))).InventoryConfigurationList?.map(
      (i) => i.Id,
    );
    await c.s3.send(new DeleteBucketInventoryConfigurationCommand({ Bucket: bucket, Id: 'all-versions' }));
    const afterDelete = await outcome(c.s3.send(new GetBucketInventoryConfigurationCommand({ Bucket: bucket, Id: 'all-versions' })));
    return { missing, got, listed, afterDelete };
  },

  async listObjectsPagination(c, ns) {
    const bucket = `${ns}-pages`;
    await c.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const keys = ['a/1', 'a/2', 'b/1', 'c', 'd e', 'd+f', 'x%2Fy'];
    for (const key of keys) await c.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const page = await c.s3.send(
        new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 2, ...(token ? { ContinuationToken: token } : {}) }),
      );
      pages.push([...(page.Contents ?? []).map((o) => o.Key!), `truncated=${page.IsTruncated}`, `count=${page.KeyCount}`]);
      token = page.NextContinuationToken;
    } while (token);
    const delimited = await c.s3.send(new ListObjectsV2Command({ Bucket: bucket, Delimiter: '/' }));
    const prefixed = await c.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'a/' }));
    const startAfter = await c.s3.send(new ListObjectsV2Command({ Bucket: bucket, StartAfter: 'c' }));
    return {
      pages,
      delimitedKeys: delimited.Contents?.map((o) => o.Key),
      commonPrefixes: delimited.CommonPrefixes?.map((p) => p.Prefix),
      delimitedCount: delimited.KeyCount,
      prefixed: prefixed.Contents?.map((o) => o.Key),
      startAfter: startAfter.Contents?.map((o) => o.Key),
    };
  },

  async listVersionsPagination(c, ns) {
    const bucket = `${ns}-version-pages`;
    const ids = new Namer('v');
    await bucketWithVersioning(c, bucket);
    for (const key of ['k1', 'k2', 'k3']) {
      for (let i = 0; i < 2; i++)
        ids.name((await c.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `${key}-${i}` }))).VersionId);
    }
    await c.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k2' }));
    const pages: unknown[] = [];
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    for (;;) {
      const page = await c.s3.send(
        new ListObjectVersionsCommand({
          Bucket: bucket,
          MaxKeys: 3,
          ...(keyMarker ? { KeyMarker: keyMarker } : {}),
          ...(versionIdMarker ? { VersionIdMarker: versionIdMarker } : {}),
        }),
      );
      pages.push({
        versions: (page.Versions ?? []).map((v) => [v.Key, ids.name(v.VersionId), v.IsLatest]),
        markers: (page.DeleteMarkers ?? []).map((m) => [m.Key, m.IsLatest]),
        truncated: page.IsTruncated,
        nextKeyMarker: page.NextKeyMarker,
      });
      if (!page.IsTruncated) break;
      keyMarker = page.NextKeyMarker;
      versionIdMarker = page.NextVersionIdMarker;
    }
    return { pages };
  },

  async missingThings(c, ns) {
    const bucket = `${ns}-missing`;
    await bucketWithVersioning(c, bucket);
    await c.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'present', Body: 'x' }));
    return {
      getMissingKey: await outcome(c.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'absent' }))),
      headMissingKey: await outcome(c.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'absent' }))),
      getMissingBucket: await outcome(c.s3.send(new GetObjectCommand({ Bucket: `${ns}-no-such-bucket`, Key: 'k' }))),
      listMissingBucket: await outcome(c.s3.send(new ListObjectsV2Command({ Bucket: `${ns}-no-such-bucket` }))),
      getMissingVersion: await outcome(
        c.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'present', VersionId: 'AbCdEfGhIjKlMnOpQrStUvWxYz012345' })),
      ),
      getPolicyNone: await outcome(c.s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))),
      deleteNonEmptyBucket: await outcome(c.s3.send(new DeleteBucketCommand({ Bucket: bucket }))),
      createExistingBucket: await outcome(c.s3.send(new CreateBucketCommand({ Bucket: bucket }))),
    };
  },

  async kmsKeysAndAliases(c, ns) {
    const key = (await c.kms.send(new CreateKeyCommand({ Description: 'conformance' }))).KeyMetadata!;
    await c.kms.send(new CreateAliasCommand({ AliasName: `alias/${ns}-key`, TargetKeyId: key.KeyId }));
    const byAlias = (await c.kms.send(new DescribeKeyCommand({ KeyId: `alias/${ns}-key` }))).KeyMetadata!;
    const aliases = (await c.kms.send(new ListAliasesCommand({ KeyId: key.KeyId }))).Aliases ?? [];
    const disableByArn = await outcome(c.kms.send(new DisableKeyCommand({ KeyId: key.Arn })));
    await c.kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    const disabled = (await c.kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata!;
    return {
      created: [
        key.Enabled,
        key.KeyState,
        key.KeyManager,
        key.KeyUsage ?? 'absent',
        key.Description,
        key.Arn === `arn:aws:kms:us-east-1:123456789012:key/${key.KeyId}`,
      ],
      byAliasSameKey: byAlias.KeyId === key.KeyId,
      aliases: aliases.map((a) => [
        a.AliasName,
        a.TargetKeyId === key.KeyId,
        a.AliasArn === `arn:aws:kms:us-east-1:123456789012:alias/${ns}-key`,
      ]),
      disableByArn,
      disabled: [disabled.Enabled, disabled.KeyState],
      unknownKey: await outcome(c.kms.send(new DescribeKeyCommand({ KeyId: '11111111-2222-3333-4444-555555555555' }))),
      unknownAlias: await outcome(c.kms.send(new DescribeKeyCommand({ KeyId: `alias/${ns}-nothing` }))),
    };
  },

  async s3WriteWithUnusableKmsKey(c, ns) {
    const bucket = `${ns}-bad-key`;
    await c.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const key = (await c.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await c.kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    return {
      unknownKey: await outcome(
        c.s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: 'k',
            Body: 'x',
            ServerSideEncryption: 'aws:kms',
            SSEKMSKeyId: 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555',
          }),
        ),
      ),
      disabledKey: await outcome(
        c.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: key.Arn })),
      ),
    };
  },

  async suspendedVersioningNullVersions(c, ns) {
    const bucket = `${ns}-suspended`;
    const ids = new Namer('v');
    await bucketWithVersioning(c, bucket);
    await c.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'real' }));
    await c.s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Suspended' } }));
    const nullPut = await c.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'null-1' }));
    await c.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'null-2' }));
    const marker = await c.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k' }));
    const listed = await c.s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    return {
      nullPutVersionId: nullPut.VersionId,
      markerVersionId: marker.VersionId,
      versions: (listed.Versions ?? []).map((v) => [v.VersionId === 'null' ? 'null' : ids.name(v.VersionId), v.IsLatest]),
      markers: (listed.DeleteMarkers ?? []).map((m) => [m.VersionId, m.IsLatest]),
    };
  },

  async conditionalWrites(c, ns) {
    const bucket = `${ns}-conditional`;
    await c.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const created = await c.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'lock', Body: '1', IfNoneMatch: '*' }));
    return {
      createAgain: await outcome(c.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'lock', Body: '2', IfNoneMatch: '*' }))),
      replaceWithStaleEtag: await outcome(
        c.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'lock', Body: '2', IfMatch: '"00000000000000000000000000000000"' })),
      ),
      replaceWithCurrentEtag: await outcome(
        c.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'lock', Body: '2', IfMatch: created.ETag })),
      ),
      body: await (await c.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'lock' }))).Body!.transformToString(),
    };
  },

  async hardKeysAndRanges(c, ns) {
    const bucket = `${ns}-hard-keys`;
    await c.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const keys = ['with space.txt', 'plus+sign', 'percent%25', 'a%2Fb', 'ünïcødé/日本語/😀', 'double//slash', `long/${'k'.repeat(1019)}`];
    for (const key of keys) await c.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `body of ${key}` }));
    const bodies: string[] = [];
    for (const key of keys)
      bodies.push(
        await (await c.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: 'bytes=0-6' }))).Body!.transformToString(),
      );
    const listed = await c.s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    return { bodies, listed: listed.Contents?.map((o) => o.Key), sizes: listed.Contents?.map((o) => o.Size) };
  },

  async multipartCopyWithRanges(c, ns) {
    const bucket = `${ns}-multipart`;
    await c.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    // Both parts at least 5 MiB, so a wrong order can only be InvalidPartOrder, never EntityTooSmall.
    const body = Buffer.alloc(10 * 1024 * 1024 + 1, 'z');
    body.write('head', 0);
    await c.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'source', Body: body }));
    const upload = await c.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'target', Metadata: { m: '1' } }));
    const first = await c.s3.send(
      new UploadPartCopyCommand({
        Bucket: bucket,
        Key: 'target',
        UploadId: upload.UploadId,
        PartNumber: 1,
        CopySource: `${bucket}/source`,
        CopySourceRange: `bytes=0-${5 * 1024 * 1024 - 1}`,
      }),
    );
    const second = await c.s3.send(
      new UploadPartCopyCommand({
        Bucket: bucket,
        Key: 'target',
        UploadId: upload.UploadId,
        PartNumber: 2,
        CopySource: `${bucket}/source`,
        CopySourceRange: `bytes=${5 * 1024 * 1024}-${body.length - 1}`,
      }),
    );
    const badOrder = await outcome(
      c.s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: 'target',
          UploadId: upload.UploadId,
          MultipartUpload: {
            Parts: [
              { PartNumber: 2, ETag: second.CopyPartResult!.ETag },
              { PartNumber: 1, ETag: first.CopyPartResult!.ETag },
            ],
          },
        }),
      ),
    );
    const done = await c.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: 'target',
        UploadId: upload.UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: first.CopyPartResult!.ETag },
            { PartNumber: 2, ETag: second.CopyPartResult!.ETag },
          ],
        },
      }),
    );
    const head = await c.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'target' }));
    const start = await (
      await c.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'target', Range: 'bytes=0-3' }))
    ).Body!.transformToString();
    return {
      badOrder,
      etagSuffix: done.ETag?.match(/-\d+"$/)?.[0],
      size: head.ContentLength,
      metadata: head.Metadata,
      start,
      afterComplete: await outcome(
        c.s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'target', UploadId: upload.UploadId })),
      ),
    };
  },

  async deleteObjectsBatch(c, ns) {
    const bucket = `${ns}-batch-delete`;
    await bucketWithVersioning(c, bucket);
    const a = await c.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a', Body: '1' }));
    await c.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'b b', Body: '1' }));
    const result = await c.s3.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: 'a', VersionId: a.VersionId }, { Key: 'b b' }] } }),
    );
    const listed = await c.s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    return {
      deleted: (result.Deleted ?? [])
        .map((d) => [d.Key, d.VersionId === a.VersionId ? 'a-version' : (d.VersionId ?? 'none'), d.DeleteMarker ?? false])
        .sort(),
      errors: result.Errors ?? [],
      remaining: (listed.Versions ?? []).map((v) => v.Key),
      markers: (listed.DeleteMarkers ?? []).map((m) => m.Key),
    };
  },

  async archivedCopyAndRestore(c, ns) {
    const bucket = `${ns}-archive`;
    await c.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await c.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cold', Body: 'x', StorageClass: 'GLACIER' }));
    await c.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'warm', Body: 'x' }));
    const copyBefore = await outcome(c.s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'copy', CopySource: `${bucket}/cold` })));
    const getBefore = await outcome(c.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'cold' })));
    const restore = await c.s3.send(new RestoreObjectCommand({ Bucket: bucket, Key: 'cold', RestoreRequest: { Days: 1 } }));
    const head = await c.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'cold' }));
    return {
      copyBefore,
      getBefore,
      restoreStatus: restore.$metadata.httpStatusCode,
      restoreHeader: head.Restore?.replace(/expiry-date="[^"]+"/, 'expiry-date="…"'),
      storageClass: head.StorageClass,
      copyAfter: await outcome(
        c.s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'copy', CopySource: `${bucket}/cold`, StorageClass: 'GLACIER' })),
      ),
      restoreStandard: await outcome(c.s3.send(new RestoreObjectCommand({ Bucket: bucket, Key: 'warm', RestoreRequest: { Days: 1 } }))),
    };
  },

  async updateObjectEncryption(c, ns) {
    const bucket = `${ns}-update-encryption`;
    await bucketWithVersioning(c, bucket);
    const key = (await c.kms.send(new CreateKeyCommand({ Description: 'target' }))).KeyMetadata!;
    const put = await c.s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'k',
        Body: 'original',
        Metadata: { origin: 'etl' },
        Tagging: 'team=payments',
        StorageClass: 'STANDARD_IA',
        ServerSideEncryption: 'AES256',
      }),
    );
    const update = new UpdateObjectEncryptionCommand({
      Bucket: bucket,
      Key: 'k',
      VersionId: put.VersionId,
      ObjectEncryption: { SSEKMS: { KMSKeyArn: key.Arn, BucketKeyEnabled: true } },
    });
    // The SDK's output has no version id; a version id in the raw answer is what betrays a new write.
    const headers = captureResponseHeaders(update);
    const answer = await c.s3.send(update).then(
      (r) => String(r.$metadata.httpStatusCode),
      (e: { name: string; $metadata?: { httpStatusCode?: number } }) => `${e.name} ${e.$metadata?.httpStatusCode ?? '?'}`,
    );
    const answeredVersionId = headers()?.['x-amz-version-id'];
    const versions = (await c.s3.send(new ListObjectVersionsCommand({ Bucket: bucket }))).Versions ?? [];
    const current = await c.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' }));
    const asked = await c.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k', VersionId: put.VersionId }));
    const currentBody = await (await c.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }))).Body!.transformToString();
    const keyField = (id: string | undefined) =>
      id === undefined ? 'no-key' : id === key.Arn ? 'key-arn' : id === key.KeyId ? 'key-id' : id;
    return {
      answer,
      answeredVersionId: answeredVersionId === undefined ? 'none' : answeredVersionId === put.VersionId ? 'same' : 'other',
      versionCount: versions.length,
      currentIsOriginal: current.VersionId === put.VersionId,
      // The key ARN is random per run: named, so a body that echoes it compares equal across runs.
      currentBody: currentBody.split(key.Arn!).join('<key-arn>'),
      askedAfter: [
        asked.ServerSideEncryption ?? 'none',
        keyField(asked.SSEKMSKeyId),
        asked.BucketKeyEnabled ?? false,
        asked.StorageClass ?? 'STANDARD',
      ],
      currentTags: (await c.s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'k' }))).TagSet,
      currentMetadata: current.Metadata,
      currentStorageClass: current.StorageClass ?? 'STANDARD',
    };
  },

  async callerIdentity(c) {
    const identity = await c.sts.send(new GetCallerIdentityCommand({}));
    return { account: identity.Account };
  },

  async keyPolicyRoundTrip(c) {
    const account = (await c.sts.send(new GetCallerIdentityCommand({}))).Account!;
    const key = (await c.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const initial = await c.kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyId, PolicyName: 'default' }));
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' },
        { Sid: 'Reader', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:Decrypt', Resource: '*' },
      ],
    });
    await c.kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, PolicyName: 'default', Policy: policy }));
    const created = (await c.kms.send(new CreateKeyCommand({ Policy: policy }))).KeyMetadata!;
    return {
      defaultPolicy: JSON.parse(initial.Policy!.split(account).join('<account>')) as unknown,
      afterPut: (await c.kms.send(new GetKeyPolicyCommand({ KeyId: key.Arn, PolicyName: 'default' }))).Policy === policy,
      createdWithPolicy: (await c.kms.send(new GetKeyPolicyCommand({ KeyId: created.KeyId, PolicyName: 'default' }))).Policy === policy,
      otherName: await outcome(c.kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyId, PolicyName: 'other' }))),
      // KMS's lockout safety check: a policy that does not let the caller put a policy again.
      lockout: await outcome(
        c.kms.send(
          new PutKeyPolicyCommand({
            KeyId: key.KeyId,
            PolicyName: 'default',
            Policy: JSON.stringify({
              Version: '2012-10-17',
              Statement: [
                { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:role/somebody-else` }, Action: 'kms:*', Resource: '*' },
              ],
            }),
          }),
        ),
      ),
    };
  },

  async assumedRoleIdentity(c) {
    const account = (await c.sts.send(new GetCallerIdentityCommand({}))).Account!;
    const assumed = await c.sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/${CONFORMANCE_ROLE}`, RoleSessionName: 'conformance' }),
    );
    const creds = assumed.Credentials!;
    const endpoint = await c.sts.config.endpoint!();
    const session = createSandboxClients({
      endpoint: `${endpoint.protocol}//${endpoint.hostname}${endpoint.port !== undefined ? `:${endpoint.port}` : ''}`,
      credentials: { accessKeyId: creds.AccessKeyId!, secretAccessKey: creds.SecretAccessKey!, sessionToken: creds.SessionToken! },
    });
    try {
      const identity = await session.sts.send(new GetCallerIdentityCommand({}));
      return {
        assumedRoleUser: assumed.AssumedRoleUser?.Arn?.split(account).join('<account>'),
        callerArn: identity.Arn?.split(account).join('<account>'),
        accessKeyPrefix: creds.AccessKeyId!.slice(0, 4),
        hasSessionToken: (creds.SessionToken ?? '').length > 0,
      };
    } finally {
      session.destroy();
    }
  },

  async accessPoints(c, ns) {
    const account = (await c.sts.send(new GetCallerIdentityCommand({}))).Account!;
    const bucket = `${ns}-access-points`;
    await c.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const created = await c.s3Control.send(new CreateAccessPointCommand({ AccountId: account, Name: `${ns}-ap`, Bucket: bucket }));
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${account}:root` },
          Action: 's3:GetObject',
          Resource: `${created.AccessPointArn}/object/*`,
        },
      ],
    });
    const before = await outcome(c.s3Control.send(new GetAccessPointPolicyCommand({ AccountId: account, Name: `${ns}-ap` })));
    await c.s3Control.send(new PutAccessPointPolicyCommand({ AccountId: account, Name: `${ns}-ap`, Policy: policy }));
    const after = await c.s3Control.send(new GetAccessPointPolicyCommand({ AccountId: account, Name: `${ns}-ap` }));
    const listed = await c.s3Control.send(new ListAccessPointsCommand({ AccountId: account, Bucket: bucket }));
    return {
      arn: created.AccessPointArn?.split(account).join('<account>'),
      policyBefore: before,
      policyAfter: after.Policy === policy,
      listed: listed.AccessPointList?.map((ap) => [ap.Name, ap.Bucket, ap.NetworkOrigin]),
    };
  },

  async replicationConfiguration(c, ns) {
    const source = `${ns}-replication-src`;
    const destination = `${ns}-replication-dst`;
    await c.s3.send(new CreateBucketCommand({ Bucket: source }));
    await bucketWithVersioning(c, destination);
    const rule = {
      ID: 'to-replica',
      Priority: 1,
      Status: 'Enabled' as const,
      Filter: { Prefix: '' },
      DeleteMarkerReplication: { Status: 'Disabled' as const },
      Destination: { Bucket: `arn:aws:s3:::${destination}` },
    };
    const put = (Bucket: string) =>
      c.s3.send(
        new PutBucketReplicationCommand({
          Bucket,
          ReplicationConfiguration: { Role: 'arn:aws:iam::123456789012:role/replication', Rules: [rule] },
        }),
      );
    const getBeforePut = await outcome(c.s3.send(new GetBucketReplicationCommand({ Bucket: source })));
    const putUnversioned = await outcome(put(source));
    await c.s3.send(new PutBucketVersioningCommand({ Bucket: source, VersioningConfiguration: { Status: 'Enabled' } }));
    const putVersioned = await outcome(put(source));
    const got = (await c.s3.send(new GetBucketReplicationCommand({ Bucket: source }))).ReplicationConfiguration;
    const deleted = await outcome(c.s3.send(new DeleteBucketReplicationCommand({ Bucket: source })));
    const getAfterDelete = await outcome(c.s3.send(new GetBucketReplicationCommand({ Bucket: source })));
    return { getBeforePut, putUnversioned, putVersioned, role: got?.Role, rules: got?.Rules, deleted, getAfterDelete };
  },

  async notificationConfiguration(c, ns) {
    const bucket = `${ns}-notification`;
    await c.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const lambda = 'arn:aws:lambda:us-east-1:123456789012:function:on-create';
    const queue = 'arn:aws:sqs:us-east-1:123456789012:on-remove';
    const empty = await c.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
    await c.s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: bucket,
        NotificationConfiguration: {
          LambdaFunctionConfigurations: [
            {
              Id: 'on-create',
              LambdaFunctionArn: lambda,
              Events: ['s3:ObjectCreated:*'],
              Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'in/' }] } },
            },
          ],
          QueueConfigurations: [{ Id: 'on-remove', QueueArn: queue, Events: ['s3:ObjectRemoved:Delete'] }],
        },
      }),
    );
    const got = await c.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
    const badArn = await outcome(
      c.s3.send(
        new PutBucketNotificationConfigurationCommand({
          Bucket: bucket,
          NotificationConfiguration: { QueueConfigurations: [{ QueueArn: 'not-an-arn', Events: ['s3:ObjectCreated:Put'] }] },
        }),
      ),
    );
    await c.s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: bucket, NotificationConfiguration: {} }));
    const cleared = await c.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
    return {
      emptyLambdas: empty.LambdaFunctionConfigurations ?? [],
      lambdas: got.LambdaFunctionConfigurations,
      queues: got.QueueConfigurations,
      badArn,
      clearedQueues: cleared.QueueConfigurations ?? [],
    };
  },
};

/** The role the assumedRoleIdentity scenario assumes: the conformance test creates it in the sandbox (moto needs none). */
export const CONFORMANCE_ROLE = 'conformance-reader';
