// Table tests of the comparison of a bucket's readers and writers with the deployed key policy: granted, not granted, granted by IAM (not checked), cannot tell.
import { KMS_ADMIN_ACTIONS, KMS_BATCH_OPERATIONS_ACTIONS, KMS_S3_USE_ACTIONS } from '../../../stacks/constructs/actions';
import { ACCOUNT_ROOT_SID, BATCH_OPERATIONS_SID, KEY_USERS_SID } from '../../../stacks/plan-guard/key-policy';
import { AccessFinding, AccessGrant, classifyAccess, objectAccessGrants } from '../../../runner/core/bucket-access';
import { keyVerdict } from '../../../runner/core/key-grants';
import { LOG_DELIVERY_PRINCIPALS, LOG_DELIVERY_SERVICES } from '../../../stacks/config';

const ACCOUNT = '111122223333';
const OTHER = '444455556666';
const REGION = 'us-east-1';
const BUCKET = 'media-prod';
const ctx = { account: ACCOUNT, region: REGION, bucket: BUCKET };
const root = `arn:aws:iam::${ACCOUNT}:root`;
const reader = `arn:aws:iam::${ACCOUNT}:role/app/reader`;
const batchRole = `arn:aws:iam::${ACCOUNT}:role/s3-migration-batch`;
const distribution = `arn:aws:cloudfront::${ACCOUNT}:distribution/EDFDVBD6EXAMPLE`;

function document(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** Through S3 in `region`, for callers of our account: the condition stacks/constructs/encryption-key.ts writes. */
function viaS3(region = REGION): object {
  return { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com`, 'kms:CallerAccount': ACCOUNT } };
}

/** The key policy the stack writes (as Terraform renders aws_iam_policy_document), with `users` in key.users. */
function stackKeyPolicy(users: string[], options: { region?: string; extra?: object[] } = {}): string {
  return document(
    { Sid: ACCOUNT_ROOT_SID, Effect: 'Allow', Principal: { AWS: root }, Action: [...KMS_ADMIN_ACTIONS], Resource: '*' },
    ...(users.length > 0
      ? [
          {
            Sid: KEY_USERS_SID,
            Effect: 'Allow',
            Principal: { AWS: users.length === 1 ? users[0] : users },
            Action: [...KMS_S3_USE_ACTIONS],
            Resource: '*',
            Condition: viaS3(options.region),
          },
        ]
      : []),
    {
      Sid: BATCH_OPERATIONS_SID,
      Effect: 'Allow',
      Principal: { AWS: batchRole },
      Action: [...KMS_BATCH_OPERATIONS_ACTIONS],
      Resource: '*',
      Condition: viaS3(options.region),
    },
    ...(options.extra ?? []),
  );
}

/** KMS's default key policy: the account root may do anything, so IAM policies decide. */
const DEFAULT_KEY_POLICY = document({
  Sid: 'Enable IAM User Permissions',
  Effect: 'Allow',
  Principal: { AWS: root },
  Action: 'kms:*',
  Resource: '*',
});

function findings(principal: unknown, action: string | string[] = 's3:GetObject', condition?: object): AccessFinding[] {
  const policy = document({
    Sid: 'Grant',
    Effect: 'Allow',
    Principal: principal,
    Action: action,
    Resource: `arn:aws:s3:::${BUCKET}/*`,
    ...(condition ? { Condition: condition } : {}),
  });
  return classifyAccess(objectAccessGrants(policy, { bucket: BUCKET, prefix: '', source: 'bucket policy' }));
}

function readerOf(principal: string): AccessFinding {
  return findings({ AWS: principal })[0]!;
}

describe('keyVerdict: readers', () => {
  it.each([
    ['a key user, through S3 in the Region', reader, stackKeyPolicy([reader]), 'granted'],
    [
      'a session of a key user role (the role named with its path)',
      `arn:aws:sts::${ACCOUNT}:assumed-role/reader/alice`,
      stackKeyPolicy([reader]),
      'granted',
    ],
    ['a role the key policy does not name', `arn:aws:iam::${ACCOUNT}:role/other`, stackKeyPolicy([reader]), 'not-granted'],
    ['a reader when the root may only administer the key', reader, stackKeyPolicy([]), 'not-granted'],
    ['a role of the account under root delegation', reader, DEFAULT_KEY_POLICY, 'granted-by-iam-not-checked'],
    ['the account itself under root delegation', ACCOUNT, DEFAULT_KEY_POLICY, 'granted-by-iam-not-checked'],
    ['a key user whose ViaService names another Region', reader, stackKeyPolicy([reader], { region: 'eu-west-1' }), 'not-granted'],
  ])('%s', (_name, principal, keyPolicy, verdict) => {
    expect(keyVerdict(readerOf(principal), keyPolicy, ctx).verdict).toBe(verdict);
  });

  it('says which statement grants it', () => {
    expect(keyVerdict(readerOf(reader), stackKeyPolicy([reader]), ctx).why).toBe(
      `key policy statement ${KEY_USERS_SID} grants ${reader} (bucket policy, statement Grant) kms:Decrypt through S3`,
    );
  });

  it('says which condition fails', () => {
    const { why } = keyVerdict(readerOf(reader), stackKeyPolicy([reader], { region: 'eu-west-1' }), ctx);
    expect(why).toContain('StringEquals kms:ViaService s3.eu-west-1.amazonaws.com does not hold');
  });

  it('cannot tell under a condition key it cannot evaluate', () => {
    const keyPolicy = document({
      Sid: 'OrgReaders',
      Effect: 'Allow',
      Principal: { AWS: reader },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
    });
    expect(keyVerdict(readerOf(reader), keyPolicy, ctx)).toEqual({
      verdict: 'cannot-tell',
      why: expect.stringContaining('StringEquals aws:PrincipalOrgID o-a1b2c3d4e5 cannot be evaluated'),
    });
  });

  it('is not granted under a Deny without conditions', () => {
    const keyPolicy = stackKeyPolicy([reader], {
      extra: [{ Sid: 'NoDecrypt', Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }],
    });
    expect(keyVerdict(readerOf(reader), keyPolicy, ctx)).toEqual({
      verdict: 'not-granted',
      why: 'key policy statement NoDecrypt denies kms:Decrypt',
    });
  });

  it('cannot tell under a Deny with conditions it cannot evaluate', () => {
    const keyPolicy = stackKeyPolicy([reader], {
      extra: [
        {
          Sid: 'OnlyFromVpc',
          Effect: 'Deny',
          Principal: '*',
          Action: 'kms:*',
          Resource: '*',
          Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } },
        },
      ],
    });
    expect(keyVerdict(readerOf(reader), keyPolicy, ctx).verdict).toBe('cannot-tell');
  });

  it('is not granted to a principal whose grant is only to administer the key', () => {
    const keyPolicy = document({
      Sid: 'Admins',
      Effect: 'Allow',
      Principal: { AWS: reader },
      Action: [...KMS_ADMIN_ACTIONS],
      Resource: '*',
    });
    expect(keyVerdict(readerOf(reader), keyPolicy, ctx).verdict).toBe('not-granted');
  });
});

describe('keyVerdict: readers of another account', () => {
  const partner = `arn:aws:iam::${OTHER}:role/partner`;

  it.each([
    [
      'its account root is named for kms:Decrypt',
      document({
        Sid: 'PartnerAccount',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${OTHER}:root` },
        Action: ['kms:Decrypt'],
        Resource: '*',
      }),
      'granted-by-iam-not-checked',
    ],
    [
      'it is named itself (its own IAM policy must allow too)',
      document({ Sid: 'Partner', Effect: 'Allow', Principal: { AWS: partner }, Action: 'kms:Decrypt', Resource: '*' }),
      'granted-by-iam-not-checked',
    ],
    ['only our account root is named', DEFAULT_KEY_POLICY, 'not-granted'],
    // The stack's key users statement holds for callers of our account only (kms:CallerAccount).
    ["it is a key user under the stack's kms:CallerAccount condition", stackKeyPolicy([partner]), 'not-granted'],
  ])('%s', (_name, keyPolicy, verdict) => {
    expect(keyVerdict(readerOf(partner), keyPolicy, ctx).verdict).toBe(verdict);
  });

  it('a bucket policy grant to the other account itself needs both sides', () => {
    const keyPolicy = document({ Sid: 'PartnerAccount', Effect: 'Allow', Principal: { AWS: OTHER }, Action: 'kms:Decrypt', Resource: '*' });
    expect(keyVerdict(readerOf(OTHER), keyPolicy, ctx)).toEqual({
      verdict: 'granted-by-iam-not-checked',
      why: expect.stringContaining('another account'),
    });
  });
});

describe('keyVerdict: everyone', () => {
  it('is not granted to anonymous readers', () => {
    expect(keyVerdict(findings('*')[0]!, DEFAULT_KEY_POLICY, ctx)).toEqual({
      verdict: 'not-granted',
      why: expect.stringContaining('anonymous'),
    });
  });

  it('cannot tell for everyone of an organization under root delegation', () => {
    const [finding] = findings('*', 's3:GetObject', { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } });
    expect(keyVerdict(finding!, DEFAULT_KEY_POLICY, ctx)).toEqual({
      verdict: 'cannot-tell',
      why: expect.stringContaining('aws:PrincipalOrgID'),
    });
  });

  it('is not granted for everyone of an organization when the key policy names nobody for kms:Decrypt', () => {
    const [finding] = findings('*', 's3:GetObject', { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } });
    expect(keyVerdict(finding!, stackKeyPolicy([]), ctx).verdict).toBe('not-granted');
  });
});

describe('keyVerdict: writers', () => {
  const app = `arn:aws:iam::${ACCOUNT}:role/app`;

  it('is granted GenerateDataKey as a key user', () => {
    const writer = findings({ AWS: app }, 's3:PutObject')[0]!;
    expect(keyVerdict(writer, stackKeyPolicy([app]), ctx)).toMatchObject({ verdict: 'granted' });
  });

  it('says when multipart uploads would fail without kms:Decrypt', () => {
    const writer = findings({ AWS: app }, 's3:PutObject')[0]!;
    const keyPolicy = document({
      Sid: 'WriteOnly',
      Effect: 'Allow',
      Principal: { AWS: app },
      Action: 'kms:GenerateDataKey*',
      Resource: '*',
      Condition: viaS3(),
    });
    expect(keyVerdict(writer, keyPolicy, ctx)).toEqual({
      verdict: 'granted',
      why: expect.stringContaining('multipart uploads also need kms:Decrypt'),
    });
  });
});

describe('keyVerdict: CloudFront and log delivery', () => {
  const oac = (condition?: object) => findings({ Service: 'cloudfront.amazonaws.com' }, 's3:GetObject', condition)[0]!;
  const forDistribution = { StringEquals: { 'AWS:SourceArn': distribution } };
  /** The statement CloudFront's documentation gives for OAC with SSE-KMS. */
  const oacStatement = (sourceArn: string) => ({
    Sid: 'AllowCloudFrontServicePrincipalSSEKMS',
    Effect: 'Allow',
    Principal: { Service: 'cloudfront.amazonaws.com' },
    Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*'],
    Resource: '*',
    Condition: { StringEquals: { 'AWS:SourceArn': sourceArn } },
  });

  it.each([
    ['the key policy names the distribution', stackKeyPolicy([], { extra: [oacStatement(distribution)] }), 'granted'],
    [
      'the key policy names another distribution',
      stackKeyPolicy([], { extra: [oacStatement(`arn:aws:cloudfront::${ACCOUNT}:distribution/EOTHER`)] }),
      'not-granted',
    ],
    ['the key policy does not name CloudFront', stackKeyPolicy([]), 'not-granted'],
    // Services are never granted through the account root.
    ['only root delegation', DEFAULT_KEY_POLICY, 'not-granted'],
  ])('OAC: %s', (_name, keyPolicy, verdict) => {
    expect(keyVerdict(oac(forDistribution), keyPolicy, ctx).verdict).toBe(verdict);
  });

  it('OAC without a distribution in the bucket policy cannot be compared', () => {
    expect(keyVerdict(oac(), stackKeyPolicy([], { extra: [oacStatement(distribution)] }), ctx).verdict).toBe('cannot-tell');
  });

  it('OAI is never granted', () => {
    const [finding] = findings({ AWS: 'arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2QWRUHAPOMQZL' });
    expect(keyVerdict(finding!, DEFAULT_KEY_POLICY, ctx)).toEqual({
      verdict: 'not-granted',
      why: expect.stringContaining('origin access identity'),
    });
  });

  it.each([
    [
      'granted GenerateDataKey for its source account',
      {
        Sid: 'S3ServerAccessLogs',
        Effect: 'Allow',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Action: 'kms:GenerateDataKey*',
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
      },
      'granted',
    ],
    [
      'granted for another source account',
      {
        Sid: 'S3ServerAccessLogs',
        Effect: 'Allow',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Action: 'kms:GenerateDataKey*',
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceAccount': OTHER } },
      },
      'not-granted',
    ],
    [
      'granted Decrypt only',
      {
        Sid: 'S3ServerAccessLogs',
        Effect: 'Allow',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Action: 'kms:Decrypt',
        Resource: '*',
      },
      'not-granted',
    ],
  ])('S3 server access logs: %s', (_name, statement, verdict) => {
    const [finding] = findings({ Service: 'logging.s3.amazonaws.com' }, 's3:PutObject');
    expect(finding!.kind).toBe('log-delivery');
    expect(keyVerdict(finding!, stackKeyPolicy([], { extra: [statement] }), ctx).verdict).toBe(verdict);
  });

  it('ELB access log delivery is refused whatever the key policy grants', () => {
    const [finding] = findings({ AWS: 'arn:aws:iam::127311923021:root' }, 's3:PutObject');
    const keyPolicy = document({ Sid: 'Everyone', Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' });
    expect(keyVerdict(finding!, keyPolicy, ctx)).toEqual({ verdict: 'not-granted', why: expect.stringContaining('SSE-S3') });
  });
});

describe('keyVerdict: service readers', () => {
  it('is granted to a service the key policy names', () => {
    const grant: AccessGrant = {
      principal: 'athena.amazonaws.com',
      kind: 'service',
      access: ['read'],
      source: 'bucket policy, statement Athena',
    };
    const keyPolicy = document({
      Sid: 'Athena',
      Effect: 'Allow',
      Principal: { Service: 'athena.amazonaws.com' },
      Action: 'kms:Decrypt',
      Resource: '*',
    });
    expect(keyVerdict({ kind: 'reader', grant }, keyPolicy, ctx).verdict).toBe('granted');
  });
});

describe('keyVerdict: a bucket reader statement limited to its bucket by the encryption context', () => {
  /** The statement a bucket's `readers` config writes: decrypt through S3, this bucket's objects only. */
  const readersOf = (bucket: string) => ({
    Sid: 'ReadersDecryptThroughBucket',
    Effect: 'Allow',
    Principal: { AWS: reader },
    Action: 'kms:Decrypt',
    Resource: '*',
    Condition: {
      StringEquals: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` },
      StringLike: { 'kms:EncryptionContext:aws:s3:arn': [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`] },
    },
  });

  it('grants the reader of that bucket: its versions carry the bucket ARN as context under a Bucket Key', () => {
    expect(keyVerdict(readerOf(reader), stackKeyPolicy([], { extra: [readersOf(BUCKET)] }), ctx).verdict).toBe('granted');
  });

  it('does not grant a reader of another bucket', () => {
    expect(keyVerdict(readerOf(reader), stackKeyPolicy([], { extra: [readersOf('another-bucket')] }), ctx).verdict).toBe('not-granted');
  });
});

describe("keyVerdict: the log delivery statement a bucket's logDelivery config writes", () => {
  /** LogDeliveryEncryptsInto<Bucket>: the services may generate data keys, from this account, for the bucket's objects only. */
  const logDeliveryInto = (bucket: string, services: string[]) => ({
    Sid: 'LogDeliveryEncryptsIntoBucket',
    Effect: 'Allow',
    Principal: { Service: services },
    Action: 'kms:GenerateDataKey',
    Resource: '*',
    Condition: {
      StringEquals: { 'aws:SourceAccount': ACCOUNT },
      StringLike: { 'kms:EncryptionContext:aws:s3:arn': [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`] },
    },
  });
  const services = ['logging.s3.amazonaws.com', 'delivery.logs.amazonaws.com'];
  /** Vended logs' bucket policy names the source account, as AWS writes it. */
  const deliveryOf = (service: string) =>
    findings(
      { Service: service },
      's3:PutObject',
      service === 'delivery.logs.amazonaws.com' ? { StringEquals: { 'aws:SourceAccount': ACCOUNT } } : undefined,
    )[0]!;

  it.each(services)('grants %s delivering into that bucket', (service) => {
    const finding = deliveryOf(service);
    expect(finding.kind).toBe('log-delivery');
    expect(keyVerdict(finding, stackKeyPolicy([], { extra: [logDeliveryInto(BUCKET, services)] }), ctx).verdict).toBe('granted');
  });

  it.each(services)('does not grant %s delivering into another bucket', (service) => {
    expect(keyVerdict(deliveryOf(service), stackKeyPolicy([], { extra: [logDeliveryInto('another-bucket', services)] }), ctx).verdict).toBe(
      'not-granted',
    );
  });

  it('names the logDelivery entry of the stack config that grants each service', () => {
    expect(services.map((s) => (deliveryOf(s) as { configName?: string }).configName)).toEqual(
      services.map((s) => Object.entries(LOG_DELIVERY_PRINCIPALS).find(([, principal]) => principal === s)?.[0]),
    );
    expect(LOG_DELIVERY_SERVICES.filter((s) => LOG_DELIVERY_PRINCIPALS[s] === undefined)).toEqual(['elb-access-logs']);
  });
});
