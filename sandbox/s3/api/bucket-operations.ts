// S3 bucket operations: create/head/delete/list buckets and the configuration documents
// (versioning, encryption, policy, lifecycle, inventory, ownership, public access block,
// replication, notifications).
import { randomUUID } from 'node:crypto';
import { header } from '../../http/request';
import { optional } from '../../optional';
import { AWS_DEFAULT_ENCRYPTION } from '../bucket-config';
import { s3Errors } from '../errors';
import { child, node, parseBody, tag, text, treeToXml } from '../xml';
import { emptyResponse, xmlResponse, type S3Operation } from './call';
import {
  parseEncryption,
  parseInventory,
  parseOwnership,
  parseOwnershipHeader,
  parsePublicAccessBlock,
  renderEncryption,
  renderInventory,
  renderPublicAccessBlock,
} from './configuration-xml';
import { parseNotification, parseReplication, renderNotification, renderReplication } from './event-configuration-xml';

const owner = (accountId: string): string => node('Owner', tag('ID', accountId), tag('DisplayName', 'sandbox'));

export const bucketOperations: Record<string, S3Operation> = {
  ListBuckets: ({ world, accountId }) =>
    xmlResponse('ListAllMyBucketsResult', [
      owner(accountId),
      node(
        'Buckets',
        ...world
          .listBuckets()
          .map((b) => node('Bucket', tag('Name', b.name), tag('CreationDate', b.creationDate), tag('BucketRegion', b.region))),
      ),
    ]),

  CreateBucket: ({ req, world, bucket }) => {
    const config = req.body.length > 0 ? parseBody(req.body, 'CreateBucketConfiguration') : {};
    const region = text(config.LocationConstraint) || undefined;
    world.createBucket({
      name: bucket,
      ...optional('region', region),
      objectLockEnabled: header(req, 'x-amz-bucket-object-lock-enabled')?.toLowerCase() === 'true',
      ...optional('ownership', parseOwnershipHeader(header(req, 'x-amz-object-ownership'))),
    });
    return emptyResponse(200, { location: `/${bucket}` });
  },

  HeadBucket: ({ world, bucket }) => emptyResponse(200, { 'x-amz-bucket-region': world.bucket(bucket).region }),

  DeleteBucket: ({ world, bucket }) => {
    world.deleteBucket(bucket);
    return emptyResponse(204);
  },

  GetBucketLocation: ({ world, bucket }) => {
    const region = world.bucket(bucket).region;
    // us-east-1 is reported as an empty LocationConstraint.
    return xmlResponse('LocationConstraint', region === 'us-east-1' ? [] : [region.replace(/[<&]/g, '')]);
  },

  PutBucketVersioning: ({ req, world, bucket }) => {
    const status = text(parseBody(req.body, 'VersioningConfiguration').Status);
    if (status !== 'Enabled' && status !== 'Suspended') throw s3Errors.malformedXml();
    world.setVersioning(bucket, status);
    return emptyResponse(200);
  },

  GetBucketVersioning: ({ world, bucket }) => {
    const status = world.bucket(bucket).versioning;
    return xmlResponse('VersioningConfiguration', status === 'Unversioned' ? [] : [tag('Status', status)]);
  },

  PutBucketEncryption: ({ req, world, bucket }) => {
    world.bucket(bucket).encryption = parseEncryption(parseBody(req.body, 'ServerSideEncryptionConfiguration'));
    return emptyResponse(200);
  },

  GetBucketEncryption: ({ world, bucket }) =>
    xmlResponse('ServerSideEncryptionConfiguration', [renderEncryption(world.bucket(bucket).encryption)]),

  DeleteBucketEncryption: ({ world, bucket }) => {
    // Deleting the configuration falls back to SSE-S3: buckets are never unencrypted since 2023.
    world.bucket(bucket).encryption = AWS_DEFAULT_ENCRYPTION;
    return emptyResponse(204);
  },

  PutBucketPolicy: ({ req, world, bucket }) => {
    const policy = req.body.toString('utf8');
    try {
      if (!policy.trimStart().startsWith('{')) throw new Error('not an object');
      JSON.parse(policy);
    } catch {
      throw s3Errors.malformedPolicy();
    }
    world.bucket(bucket).policy = policy;
    return emptyResponse(204);
  },

  GetBucketPolicy: ({ world, bucket }) => {
    const policy = world.bucket(bucket).policy;
    if (policy === undefined) throw s3Errors.notFoundConfig('NoSuchBucketPolicy', 'The bucket policy does not exist', bucket);
    return { status: 200, headers: { 'content-type': 'application/json' }, body: policy };
  },

  DeleteBucketPolicy: ({ world, bucket }) => {
    world.bucket(bucket).policy = undefined;
    return emptyResponse(204);
  },

  PutBucketLifecycleConfiguration: ({ req, world, bucket }) => {
    const rules = parseBody(req.body, 'LifecycleConfiguration').Rule;
    if (rules === undefined) throw s3Errors.malformedXml();
    // The whole configuration is replaced: S3 keeps no rule that the new document omits.
    world.bucket(bucket).lifecycleRules = Array.isArray(rules) ? rules : [rules];
    return emptyResponse(200);
  },

  GetBucketLifecycleConfiguration: ({ world, bucket }) => {
    const rules = world.bucket(bucket).lifecycleRules;
    if (rules === undefined)
      throw s3Errors.notFoundConfig('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist', bucket);
    return xmlResponse('LifecycleConfiguration', [treeToXml('Rule', rules)]);
  },

  DeleteBucketLifecycle: ({ world, bucket }) => {
    world.bucket(bucket).lifecycleRules = undefined;
    return emptyResponse(204);
  },

  PutBucketInventoryConfiguration: ({ req, world, bucket }) => {
    const id = req.query.get('id') ?? '';
    world.bucket(bucket).inventory.set(id, parseInventory(parseBody(req.body, 'InventoryConfiguration'), id));
    return emptyResponse(200);
  },

  GetBucketInventoryConfiguration: ({ req, world, bucket }) => {
    const config = world.bucket(bucket).inventory.get(req.query.get('id') ?? '');
    if (!config) throw s3Errors.notFoundConfig('NoSuchConfiguration', 'The specified configuration does not exist.', bucket);
    return xmlResponse('InventoryConfiguration', [renderInventory(config)]);
  },

  ListBucketInventoryConfigurations: ({ world, bucket }) => {
    const configs = [...world.bucket(bucket).inventory.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    return xmlResponse('ListInventoryConfigurationsResult', [
      ...configs.map((c) => node('InventoryConfiguration', renderInventory(c))),
      tag('IsTruncated', false),
    ]);
  },

  DeleteBucketInventoryConfiguration: ({ req, world, bucket }) => {
    const inventory = world.bucket(bucket).inventory;
    const id = req.query.get('id') ?? '';
    if (!inventory.delete(id)) throw s3Errors.notFoundConfig('NoSuchConfiguration', 'The specified configuration does not exist.', bucket);
    return emptyResponse(204);
  },

  PutBucketOwnershipControls: ({ req, world, bucket }) => {
    world.bucket(bucket).ownership = parseOwnership(parseBody(req.body, 'OwnershipControls'));
    return emptyResponse(200);
  },

  GetBucketOwnershipControls: ({ world, bucket }) => {
    const ownership = world.bucket(bucket).ownership;
    if (ownership === undefined)
      throw s3Errors.notFoundConfig('OwnershipControlsNotFoundError', 'The bucket ownership controls were not found', bucket);
    return xmlResponse('OwnershipControls', [node('Rule', tag('ObjectOwnership', ownership))]);
  },

  DeleteBucketOwnershipControls: ({ world, bucket }) => {
    world.bucket(bucket).ownership = undefined;
    return emptyResponse(204);
  },

  PutPublicAccessBlock: ({ req, world, bucket }) => {
    world.bucket(bucket).publicAccessBlock = parsePublicAccessBlock(parseBody(req.body, 'PublicAccessBlockConfiguration'));
    return emptyResponse(200);
  },

  GetPublicAccessBlock: ({ world, bucket }) => {
    const block = world.bucket(bucket).publicAccessBlock;
    if (!block)
      throw s3Errors.notFoundConfig('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', bucket);
    return xmlResponse('PublicAccessBlockConfiguration', [renderPublicAccessBlock(block)]);
  },

  DeletePublicAccessBlock: ({ world, bucket }) => {
    world.bucket(bucket).publicAccessBlock = undefined;
    return emptyResponse(204);
  },

  GetObjectLockConfiguration: ({ world, bucket }) => {
    if (!world.bucket(bucket).objectLockEnabled) {
      throw s3Errors.notFoundConfig(
        'ObjectLockConfigurationNotFoundError',
        'Object Lock configuration does not exist for this bucket',
        bucket,
      );
    }
    return xmlResponse('ObjectLockConfiguration', [tag('ObjectLockEnabled', 'Enabled')]);
  },

  PutObjectLockConfiguration: ({ req, world, bucket }) => {
    const config = parseBody(req.body, 'ObjectLockConfiguration');
    if (text(config.ObjectLockEnabled) !== 'Enabled' || child(config.Rule) === undefined) throw s3Errors.malformedXml();
    if (!world.bucket(bucket).objectLockEnabled)
      throw s3Errors.invalidBucketState("Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration");
    return emptyResponse(200);
  },

  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketReplication.html
  PutBucketReplication: ({ req, world, bucket }) => {
    world.putReplication(bucket, parseReplication(parseBody(req.body, 'ReplicationConfiguration')));
    return emptyResponse(200);
  },

  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketReplication.html
  GetBucketReplication: ({ world, bucket }) => {
    const config = world.bucket(bucket).replication;
    if (!config)
      throw s3Errors.notFoundConfig('ReplicationConfigurationNotFoundError', 'The replication configuration was not found', bucket);
    return xmlResponse('ReplicationConfiguration', renderReplication(config));
  },

  DeleteBucketReplication: ({ world, bucket }) => {
    world.bucket(bucket).replication = undefined;
    return emptyResponse(204);
  },

  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketNotificationConfiguration.html
  PutBucketNotificationConfiguration: ({ req, world, bucket }) => {
    world.putNotification(
      bucket,
      parseNotification(parseBody(req.body, 'NotificationConfiguration'), () => randomUUID()),
    );
    return emptyResponse(200);
  },

  // An unconfigured bucket answers an empty NotificationConfiguration, never an error.
  GetBucketNotificationConfiguration: ({ world, bucket }) =>
    xmlResponse('NotificationConfiguration', renderNotification(world.bucket(bucket).notification)),
};
