// Bucket configuration documents between their XML wire form and the typed form in
// bucket-config.ts: default encryption, inventory, ownership controls, public access block.
import type { DefaultEncryption, InventoryConfiguration, ObjectOwnership, PublicAccessBlock } from '../bucket-config';
import { s3Errors } from '../errors';
import { optional } from '../../optional';
import { child, children, node, tag, text } from '../xml';
import type { XmlTree } from '../bucket-config';

type Element = Record<string, XmlTree | XmlTree[]>;

export function parseEncryption(root: Element): DefaultEncryption {
  const rule = children(root.Rule)[0];
  const defaults = child(rule?.ApplyServerSideEncryptionByDefault);
  const algorithm = text(defaults.SSEAlgorithm);
  if (algorithm !== 'AES256' && algorithm !== 'aws:kms' && algorithm !== 'aws:kms:dsse') throw s3Errors.malformedXml();
  const keyId = text(defaults.KMSMasterKeyID);
  if (keyId !== undefined && algorithm === 'AES256') {
    throw s3Errors.invalidArgument(
      'a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse',
      'ApplyServerSideEncryptionByDefault',
      '',
    );
  }
  return { sseAlgorithm: algorithm, ...optional('kmsMasterKeyId', keyId), bucketKeyEnabled: text(rule?.BucketKeyEnabled) === 'true' };
}

export function renderEncryption(encryption: DefaultEncryption): string {
  return node(
    'Rule',
    node(
      'ApplyServerSideEncryptionByDefault',
      tag('SSEAlgorithm', encryption.sseAlgorithm),
      tag('KMSMasterKeyID', encryption.kmsMasterKeyId),
    ),
    tag('BucketKeyEnabled', encryption.bucketKeyEnabled),
  );
}

export function parseInventory(root: Element, id: string): InventoryConfiguration {
  const bodyId = text(root.Id);
  if (bodyId !== id) throw s3Errors.invalidArgument('Configuration id in the request body does not match the id in the query', 'id', id);
  const destination = child(child(root.Destination).S3BucketDestination);
  const format = text(destination.Format);
  if (format !== 'CSV' && format !== 'ORC' && format !== 'Parquet') throw s3Errors.malformedXml();
  const versions = text(root.IncludedObjectVersions);
  if (versions !== 'All' && versions !== 'Current') throw s3Errors.malformedXml();
  const frequency = text(child(root.Schedule).Frequency);
  if (frequency !== 'Daily' && frequency !== 'Weekly') throw s3Errors.malformedXml();
  const bucketArn = text(destination.Bucket);
  if (!bucketArn?.startsWith('arn:aws:s3:::')) throw s3Errors.invalidArgument('Invalid destination bucket ARN', 'Bucket', bucketArn ?? '');
  const encryption = child(destination.Encryption);
  const kms = encryption['SSE-KMS'] !== undefined ? text(child(encryption['SSE-KMS']).KeyId) : undefined;
  const fieldList = child(root.OptionalFields).Field;
  const fields = fieldList === undefined ? [] : (Array.isArray(fieldList) ? fieldList : [fieldList]).map((f) => text(f) ?? '');
  const filterPrefix = text(child(root.Filter).Prefix);
  return {
    id,
    isEnabled: text(root.IsEnabled) === 'true',
    destination: {
      bucketArn,
      format,
      ...optional('accountId', text(destination.AccountId)),
      ...optional('prefix', text(destination.Prefix)),
      ...optional<'encryption', InventoryConfiguration['destination']['encryption']>(
        'encryption',
        kms !== undefined ? { kind: 'SSE-KMS', keyId: kms } : encryption['SSE-S3'] !== undefined ? { kind: 'SSE-S3' } : undefined,
      ),
    },
    ...optional('filterPrefix', filterPrefix),
    includedObjectVersions: versions,
    optionalFields: fields,
    schedule: frequency,
  };
}

export function renderInventory(config: InventoryConfiguration): string {
  const d = config.destination;
  const encryption =
    d.encryption === undefined
      ? ''
      : node('Encryption', d.encryption.kind === 'SSE-S3' ? '<SSE-S3></SSE-S3>' : node('SSE-KMS', tag('KeyId', d.encryption.keyId)));
  return [
    node(
      'Destination',
      node(
        'S3BucketDestination',
        tag('AccountId', d.accountId),
        tag('Bucket', d.bucketArn),
        tag('Format', d.format),
        tag('Prefix', d.prefix),
        encryption,
      ),
    ),
    tag('IsEnabled', config.isEnabled),
    config.filterPrefix !== undefined ? node('Filter', tag('Prefix', config.filterPrefix)) : '',
    tag('Id', config.id),
    tag('IncludedObjectVersions', config.includedObjectVersions),
    config.optionalFields.length > 0 ? node('OptionalFields', ...config.optionalFields.map((f) => tag('Field', f))) : '',
    node('Schedule', tag('Frequency', config.schedule)),
  ].join('');
}

const OWNERSHIPS: readonly ObjectOwnership[] = ['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'];

export function parseOwnership(root: Element): ObjectOwnership {
  const value = text(children(root.Rule)[0]?.ObjectOwnership);
  if (!(OWNERSHIPS as readonly (string | undefined)[]).includes(value)) throw s3Errors.malformedXml();
  return value as ObjectOwnership;
}

export function parseOwnershipHeader(value: string | undefined): ObjectOwnership | undefined {
  if (value === undefined) return undefined;
  if (!(OWNERSHIPS as readonly string[]).includes(value))
    throw s3Errors.invalidArgument('Invalid x-amz-object-ownership header', 'x-amz-object-ownership', value);
  return value as ObjectOwnership;
}

export function parsePublicAccessBlock(root: Element): PublicAccessBlock {
  return {
    blockPublicAcls: text(root.BlockPublicAcls) === 'true',
    ignorePublicAcls: text(root.IgnorePublicAcls) === 'true',
    blockPublicPolicy: text(root.BlockPublicPolicy) === 'true',
    restrictPublicBuckets: text(root.RestrictPublicBuckets) === 'true',
  };
}

export function renderPublicAccessBlock(block: PublicAccessBlock): string {
  return [
    tag('BlockPublicAcls', block.blockPublicAcls),
    tag('IgnorePublicAcls', block.ignorePublicAcls),
    tag('BlockPublicPolicy', block.blockPublicPolicy),
    tag('RestrictPublicBuckets', block.restrictPublicBuckets),
  ].join('');
}
