// Where moto 5.2.1 and the sandbox answer differently, each difference named and explained. The
// sandbox follows AWS's documentation; the conformance test asserts both sides of every entry, so
// this list can neither hide a new difference nor keep a stale one.

export interface KnownDifference {
  readonly scenario: string;
  readonly observation: string;
  readonly sandbox: unknown;
  readonly moto: unknown;
  readonly why: string;
}

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
  {
    scenario: 'versioning',
    observation: 'firstVersionIdLength',
    sandbox: 32,
    moto: 36,
    why: 'S3 version ids are 32 URL-safe characters; moto hands out dashed UUIDs.',
  },
  {
    scenario: 'copyInPlaceWithSseKms',
    observation: 'copyKeyId',
    sandbox: 'key-arn',
    moto: 'key-id',
    why: 'S3 reports x-amz-server-side-encryption-aws-kms-key-id as the key ARN whatever form the request used; moto echoes the request.',
  },
  {
    scenario: 'copyInPlaceWithSseKms',
    observation: 'headKeyId',
    sandbox: 'key-arn',
    moto: 'key-id',
    why: 'Same as copyKeyId: HeadObject reports the key ARN.',
  },
  {
    scenario: 'headObjectEncryptionFields',
    observation: 'kmsBucketKey',
    sandbox: ['aws:kms', 'key-arn', true, 'STANDARD'],
    moto: ['aws:kms', 'key-id', true, 'STANDARD'],
    why: 'Same as copyKeyId: HeadObject reports the key ARN.',
  },
  {
    scenario: 'headObjectEncryptionFields',
    observation: 'standardIa',
    sandbox: ['AES256', 'no-key', false, 'STANDARD_IA'],
    moto: ['none', 'no-key', false, 'STANDARD_IA'],
    why: 'Since January 2023 S3 encrypts every new object with SSE-S3 when nothing else applies; moto stores it unencrypted.',
  },
  {
    scenario: 'bucketDefaultEncryption',
    observation: 'initial',
    sandbox: 'AES256',
    moto: 'ServerSideEncryptionConfigurationNotFoundError',
    why: 'Every bucket has SSE-S3 default encryption since January 2023, and GetBucketEncryption returns it; moto reports no configuration.',
  },
  {
    scenario: 'inventoryRoundTrip',
    observation: 'missing',
    sandbox: 'NoSuchConfiguration 404',
    moto: 'NoSuchInventoryConfig 404',
    why: 'S3 answers a missing inventory configuration with NoSuchConfiguration; moto uses its own code.',
  },
  {
    scenario: 'inventoryRoundTrip',
    observation: 'afterDelete',
    sandbox: 'NoSuchConfiguration 404',
    moto: 'NoSuchBucket 404',
    why: 'After DeleteBucketInventoryConfiguration the bucket still exists; moto answers NoSuchBucket.',
  },
  {
    scenario: 'kmsKeysAndAliases',
    observation: 'created',
    sandbox: [true, 'Enabled', 'CUSTOMER', 'ENCRYPT_DECRYPT', 'conformance', true],
    moto: [true, 'Enabled', 'CUSTOMER', 'absent', 'conformance', true],
    why: 'CreateKey without KeyUsage creates an ENCRYPT_DECRYPT key and says so in KeyMetadata; moto leaves KeyUsage out.',
  },
  {
    scenario: 'kmsKeysAndAliases',
    observation: 'disableByArn',
    sandbox: 'ok',
    moto: 'SyntaxError 500',
    why: 'DisableKey accepts a key id or a key ARN; moto fails with an HTML 500 page for an ARN.',
  },
  {
    scenario: 's3WriteWithUnusableKmsKey',
    observation: 'unknownKey',
    sandbox: 'KMS.NotFoundException 400',
    moto: 'ok',
    why: 'S3 refuses an SSE-KMS write whose key does not exist with 400 KMS.NotFoundException; moto does not check the key.',
  },
  {
    scenario: 's3WriteWithUnusableKmsKey',
    observation: 'disabledKey',
    sandbox: 'KMS.DisabledException 400',
    moto: 'ok',
    why: 'S3 refuses an SSE-KMS write with a disabled key with 400 KMS.DisabledException; moto does not check the key state.',
  },
  {
    scenario: 'suspendedVersioningNullVersions',
    observation: 'nullPutVersionId',
    sandbox: 'null',
    moto: undefined,
    why: 'A write to a versioning-suspended bucket gets version id null, and S3 reports it in x-amz-version-id; moto sends no version id.',
  },
  {
    scenario: 'suspendedVersioningNullVersions',
    observation: 'markerVersionId',
    sandbox: 'null',
    moto: undefined,
    why: 'DeleteObject in a suspended bucket adds a delete marker with version id null; moto reports none.',
  },
  {
    scenario: 'suspendedVersioningNullVersions',
    observation: 'versions',
    sandbox: [['v1', false]],
    moto: [],
    why: 'The delete marker replaces only the null version; versions written while versioning was enabled remain (noncurrent). moto loses them.',
  },
  {
    scenario: 'suspendedVersioningNullVersions',
    observation: 'markers',
    sandbox: [['null', true]],
    moto: [],
    why: 'Same as markerVersionId: the null delete marker is the current version.',
  },
  {
    scenario: 'archivedCopyAndRestore',
    observation: 'copyBefore',
    sandbox: 'InvalidObjectState 403',
    moto: 'ObjectNotInActiveTierError 403',
    why: 'S3 answers a copy of an unrestored GLACIER source with 403 InvalidObjectState ("Operation is not valid for the source object\'s storage class"); moto uses the model\'s ObjectNotInActiveTierError.',
  },
  {
    scenario: 'multipartCopyWithRanges',
    observation: 'badOrder',
    sandbox: 'InvalidPartOrder 400',
    moto: 'ok',
    why: 'CompleteMultipartUpload needs parts in ascending part-number order (400 InvalidPartOrder); moto completes in the order listed.',
  },
  {
    scenario: 'multipartCopyWithRanges',
    observation: 'start',
    sandbox: 'head',
    moto: 'zzzz',
    why: 'Follows from badOrder: moto assembled part 2 before part 1, so the object starts with the wrong bytes.',
  },
  {
    scenario: 'updateObjectEncryption',
    observation: 'answeredVersionId',
    sandbox: 'none',
    moto: 'other',
    why: 'moto 5.2.1 has no UpdateObjectEncryption: it serves PUT /{key}?encryption&versionId=... as a plain PutObject, storing the request XML as a new current version, and its 200 carries x-amz-version-id naming that new version. S3 re-encrypts the version asked for in place; its response holds only RequestCharged, no version id.',
  },
  {
    scenario: 'updateObjectEncryption',
    observation: 'versionCount',
    sandbox: 1,
    moto: 2,
    why: 'UpdateObjectEncryption creates no version on S3; moto (no UpdateObjectEncryption, a PutObject instead) adds one.',
  },
  {
    scenario: 'updateObjectEncryption',
    observation: 'currentIsOriginal',
    sandbox: true,
    moto: false,
    why: "Same as versionCount: moto's PutObject makes the XML version current; on S3 the updated version stays current.",
  },
  {
    scenario: 'updateObjectEncryption',
    observation: 'currentBody',
    sandbox: 'original',
    moto: '<?xml version="1.0" encoding="UTF-8"?><ObjectEncryption xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><SSE-KMS><KMSKeyArn><key-arn></KMSKeyArn><BucketKeyEnabled>true</BucketKeyEnabled></SSE-KMS></ObjectEncryption>',
    why: "UpdateObjectEncryption keeps the object's bytes; moto stores the request body (the ObjectEncryption XML) as the new current version's data.",
  },
  {
    scenario: 'updateObjectEncryption',
    observation: 'askedAfter',
    sandbox: ['aws:kms', 'key-arn', true, 'STANDARD_IA'],
    moto: ['AES256', 'no-key', false, 'STANDARD_IA'],
    why: 'S3 re-wraps the version asked for as SSE-KMS under the key ARN with the Bucket Key setting, keeping its storage class; moto leaves that version untouched (still SSE-S3) because it wrote a new one instead.',
  },
  {
    scenario: 'updateObjectEncryption',
    observation: 'currentTags',
    sandbox: [{ Key: 'team', Value: 'payments' }],
    moto: [],
    why: "Follows from currentIsOriginal: moto's current version is a fresh PutObject without tags; on S3 the current version keeps its tags.",
  },
  {
    scenario: 'updateObjectEncryption',
    observation: 'currentMetadata',
    sandbox: { origin: 'etl' },
    moto: {},
    why: "Follows from currentIsOriginal: moto's current version is a fresh PutObject without user metadata; on S3 it keeps its metadata.",
  },
  {
    scenario: 'updateObjectEncryption',
    observation: 'currentStorageClass',
    sandbox: 'STANDARD_IA',
    moto: 'STANDARD',
    why: "Follows from currentIsOriginal: moto's current version is a fresh PutObject in STANDARD; on S3 it keeps STANDARD_IA.",
  },
  {
    scenario: 'keyPolicyRoundTrip',
    observation: 'lockout',
    sandbox: 'MalformedPolicyDocumentException 400',
    moto: 'ok',
    why: 'KMS refuses a key policy that would not let the caller make a later PutKeyPolicy request unless BypassPolicyLockoutSafetyCheck is true (PutKeyPolicy API reference: "The new key policy will not allow you to update the key policy in the future."); moto stores any policy.',
  },
  {
    scenario: 'notificationConfiguration',
    observation: 'lambdas',
    sandbox: [
      {
        LambdaFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:on-create',
        Events: ['s3:ObjectCreated:*'],
        Id: 'on-create',
        Filter: { Key: { FilterRules: [{ Name: 'Prefix', Value: 'in/' }] } },
      },
    ],
    moto: [
      {
        LambdaFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:on-create',
        Events: ['s3:ObjectCreated:*'],
        Id: 'on-create',
        Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'in/' }] } },
      },
    ],
    why: 'S3 stores key filter rule names case-insensitively and answers them capitalized (Prefix, Suffix), which is why infrastructure tools compare them ignoring case; moto echoes the request.',
  },
];
