// Table tests of who a bucket policy or access point policy lets read and write the bucket's objects, and how each grant is classified.
import { AccessGrant, classifyAccess, objectAccessGrants, refusesForeignEncryption } from '../../../runner/core/bucket-access';

const ACCOUNT = '111122223333';
const OTHER = '444455556666';
const BUCKET = 'media-prod';
const objects = `arn:aws:s3:::${BUCKET}/*`;

/** A bucket policy of the given statements, as GetBucketPolicy returns it. */
function policy(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

function allow(
  principal: unknown,
  action: string | string[] = 's3:GetObject',
  resource: string | string[] = objects,
  extra: object = {},
): object {
  return { Sid: 'Grant', Effect: 'Allow', Principal: principal, Action: action, Resource: resource, ...extra };
}

function grantsOf(text: string, prefix = ''): AccessGrant[] {
  return objectAccessGrants(text, { bucket: BUCKET, prefix, source: 'bucket policy' });
}

/** The fields that say who and what, for compact expectations. */
function who(
  grants: readonly AccessGrant[],
): { principal: string; kind: string; account?: string; iamArn?: string; access: readonly string[] }[] {
  return grants.map((g) => ({
    principal: g.principal,
    kind: g.kind,
    ...(g.account ? { account: g.account } : {}),
    ...(g.iamArn ? { iamArn: g.iamArn } : {}),
    access: g.access,
  }));
}

describe('objectAccessGrants: principal forms', () => {
  it.each([
    [
      'account root by ARN',
      { AWS: `arn:aws:iam::${OTHER}:root` },
      { principal: `arn:aws:iam::${OTHER}:root`, kind: 'account-root', account: OTHER, iamArn: `arn:aws:iam::${OTHER}:root` },
    ],
    [
      'account root by bare id',
      { AWS: OTHER },
      { principal: OTHER, kind: 'account-root', account: OTHER, iamArn: `arn:aws:iam::${OTHER}:root` },
    ],
    [
      'role',
      { AWS: `arn:aws:iam::${ACCOUNT}:role/app/reader` },
      {
        principal: `arn:aws:iam::${ACCOUNT}:role/app/reader`,
        kind: 'role',
        account: ACCOUNT,
        iamArn: `arn:aws:iam::${ACCOUNT}:role/app/reader`,
      },
    ],
    [
      'assumed-role session, standing for its role',
      { AWS: `arn:aws:sts::${ACCOUNT}:assumed-role/reader/alice` },
      {
        principal: `arn:aws:sts::${ACCOUNT}:assumed-role/reader/alice`,
        kind: 'assumed-role',
        account: ACCOUNT,
        iamArn: `arn:aws:iam::${ACCOUNT}:role/reader`,
      },
    ],
    [
      'user',
      { AWS: `arn:aws:iam::${ACCOUNT}:user/bob` },
      { principal: `arn:aws:iam::${ACCOUNT}:user/bob`, kind: 'user', account: ACCOUNT, iamArn: `arn:aws:iam::${ACCOUNT}:user/bob` },
    ],
    ['anyone as "*"', '*', { principal: '*', kind: 'anyone' }],
    ['anyone as { AWS: "*" }', { AWS: '*' }, { principal: '*', kind: 'anyone' }],
    ['service principal', { Service: 'cloudfront.amazonaws.com' }, { principal: 'cloudfront.amazonaws.com', kind: 'service' }],
    [
      'OAI canonical user',
      { CanonicalUser: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be' },
      { principal: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be', kind: 'canonical-user' },
    ],
    [
      'OAI ARN',
      { AWS: 'arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2QWRUHAPOMQZL' },
      { principal: 'arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2QWRUHAPOMQZL', kind: 'cloudfront-oai' },
    ],
    ['federated', { Federated: 'cognito-identity.amazonaws.com' }, { principal: 'cognito-identity.amazonaws.com', kind: 'federated' }],
  ])('%s', (_name, principal, expected) => {
    expect(who(grantsOf(policy(allow(principal))))).toEqual([{ ...expected, access: ['read'] }]);
  });

  it('reads a list of principals of several types as one grant each', () => {
    const grants = grantsOf(policy(allow({ AWS: [`arn:aws:iam::${ACCOUNT}:role/a`, OTHER], Service: 'logging.s3.amazonaws.com' })));
    expect(grants.map((g) => g.kind)).toEqual(['role', 'account-root', 'service']);
  });

  it('accepts a single statement given as an object', () => {
    const text = JSON.stringify({ Version: '2012-10-17', Statement: allow({ AWS: OTHER }) });
    expect(grantsOf(text)).toHaveLength(1);
  });

  it('reads no policy as no grants', () => {
    expect(grantsOf('')).toEqual([]);
  });

  it('refuses a text that is not a policy document', () => {
    expect(() => grantsOf('{not json')).toThrow(/bucket policy is not JSON/);
  });

  it('names the statement by Sid, or by position without one', () => {
    const grants = grantsOf(
      policy(
        { ...allow({ AWS: OTHER }), Sid: 'ReadersRead' },
        { Effect: 'Allow', Principal: { AWS: OTHER }, Action: 's3:GetObject', Resource: objects },
      ),
    );
    expect(grants.map((g) => g.source)).toEqual(['bucket policy, statement ReadersRead', 'bucket policy, statement #2']);
  });

  it('keeps the conditions of "*" with aws:PrincipalOrgID, as lists', () => {
    const [grant] = grantsOf(
      policy(allow('*', 's3:GetObject', objects, { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } })),
    );
    expect(grant).toMatchObject({ kind: 'anyone', conditions: { StringEquals: { 'aws:PrincipalOrgID': ['o-a1b2c3d4e5'] } } });
  });

  it('notes that a grant to a session is for that session name only', () => {
    const [grant] = grantsOf(policy(allow({ AWS: `arn:aws:sts::${ACCOUNT}:assumed-role/reader/alice` })));
    expect(grant!.notes).toEqual([expect.stringContaining('session')]);
  });
});

describe('objectAccessGrants: actions and resources', () => {
  it.each([
    ['s3:GetObject', 's3:GetObject', ['read']],
    ['s3:GetObjectVersion alone', 's3:GetObjectVersion', ['read']],
    ['s3:PutObject', 's3:PutObject', ['write']],
    ['s3:*', 's3:*', ['read', 'write']],
    ['*', '*', ['read', 'write']],
    ['s3:Get*', 's3:Get*', ['read']],
    ['s3:*Object', 's3:*Object', ['read', 'write']],
    ['action names in another case', 'S3:getobject', ['read']],
    ['bucket-level actions only', ['s3:ListBucket', 's3:GetBucketLocation'], []],
    ['s3:GetObjectAcl only', 's3:GetObjectAcl', []],
  ])('%s', (_name, action, access) => {
    const grants = grantsOf(policy(allow({ AWS: OTHER }, action)));
    expect(grants.map((g) => g.access)).toEqual(access.length > 0 ? [access] : []);
  });

  it.each([
    ["the bucket's objects", objects, '', 1],
    ['every bucket', 'arn:aws:s3:::*', '', 1],
    ['"*"', '*', '', 1],
    ['a prefix of the bucket, asked about the whole bucket', `arn:aws:s3:::${BUCKET}/reports/*`, '', 1],
    ['the whole bucket, asked about a prefix', objects, 'reports/', 1],
    ['another prefix', `arn:aws:s3:::${BUCKET}/public/*`, 'reports/', 0],
    ['another bucket', 'arn:aws:s3:::media-prod-archive/*', '', 0],
    ['the bucket itself, not its objects', `arn:aws:s3:::${BUCKET}`, '', 0],
    ['a bucket name wildcard', 'arn:aws:s3:::media-*/*', '', 1],
    ['a policy variable', `arn:aws:s3:::${BUCKET}/home/\${aws:username}/*`, 'home/', 1],
    ['another partition', `arn:aws-cn:s3:::${BUCKET}/*`, '', 1],
  ])('a Resource on %s', (_name, resource, prefix, count) => {
    expect(grantsOf(policy(allow({ AWS: OTHER }, 's3:GetObject', resource)), prefix)).toHaveLength(count);
  });

  it('reads NotAction conservatively: every action but those listed, noted', () => {
    const [grant] = grantsOf(policy({ Effect: 'Allow', Principal: { AWS: OTHER }, NotAction: 's3:DeleteObject', Resource: objects }));
    expect(grant).toMatchObject({ access: ['read', 'write'], notes: ['NotAction: every action but s3:DeleteObject'] });
  });

  it('reads NotResource as every resource but those listed', () => {
    const other = grantsOf(
      policy({ Effect: 'Allow', Principal: { AWS: OTHER }, Action: 's3:GetObject', NotResource: 'arn:aws:s3:::media-prod-archive/*' }),
    );
    const ours = grantsOf(policy({ Effect: 'Allow', Principal: { AWS: OTHER }, Action: 's3:GetObject', NotResource: objects }));
    expect([other.length, ours.length]).toEqual([1, 0]);
  });
});

describe('objectAccessGrants: NotPrincipal and Deny', () => {
  const reader = `arn:aws:iam::${ACCOUNT}:role/reader`;

  it('reads an Allow with NotPrincipal as everyone but those listed, noted', () => {
    const [grant] = grantsOf(policy({ Effect: 'Allow', NotPrincipal: { AWS: reader }, Action: 's3:GetObject', Resource: objects }));
    expect(grant).toMatchObject({ principal: '*', kind: 'anyone', notes: [`NotPrincipal: everyone but ${reader}`] });
  });

  it.each([
    ['the same principal', { AWS: reader }],
    ['everyone', '*'],
    ['its account', { AWS: ACCOUNT }],
  ])('takes the grant away when a Deny names %s without conditions', (_name, principal) => {
    const text = policy(allow({ AWS: reader }), {
      Sid: 'NoReads',
      Effect: 'Deny',
      Principal: principal,
      Action: 's3:GetObject*',
      Resource: objects,
    });
    expect(grantsOf(text)).toEqual([]);
  });

  it('takes away only the access the Deny covers', () => {
    const text = policy(allow({ AWS: reader }, ['s3:GetObject', 's3:PutObject']), {
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: objects,
    });
    expect(who(grantsOf(text)).map((g) => g.access)).toEqual([['read']]);
  });

  it('keeps the grant when the Deny covers only part of what it reaches', () => {
    const text = policy(allow({ AWS: reader }), {
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: `arn:aws:s3:::${BUCKET}/secret/*`,
    });
    expect(grantsOf(text)).toHaveLength(1);
  });

  it('takes away a grant on a prefix that the Deny covers whole', () => {
    const text = policy(allow({ AWS: reader }, 's3:GetObject', `arn:aws:s3:::${BUCKET}/secret/*`), {
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: `arn:aws:s3:::${BUCKET}/secret/*`,
    });
    expect(grantsOf(text)).toEqual([]);
  });

  it('keeps the grant, noted, when the Deny has conditions', () => {
    const text = policy(allow({ AWS: reader }), {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: objects,
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    const [grant] = grantsOf(text);
    expect(grant!.access).toEqual(['read']);
    expect(grant!.notes).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          'Deny DenyInsecureTransport takes s3:GetObject away under conditions not evaluated (Bool aws:SecureTransport false)',
        ),
      ]),
    );
  });

  it('keeps the grant, noted, under a Deny with NotPrincipal that does not list it', () => {
    const text = policy(allow({ AWS: reader }), {
      Sid: 'OnlyAdmin',
      Effect: 'Deny',
      NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:role/admin` },
      Action: 's3:*',
      Resource: objects,
    });
    const [grant] = grantsOf(text);
    expect(grant!.notes).toEqual(expect.arrayContaining([expect.stringContaining('Deny OnlyAdmin with NotPrincipal')]));
  });

  it('does not take away a grant from another principal', () => {
    const text = policy(allow({ AWS: reader }), {
      Effect: 'Deny',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/other` },
      Action: 's3:GetObject',
      Resource: objects,
    });
    expect(grantsOf(text)).toHaveLength(1);
  });
});

describe('objectAccessGrants: access point policies', () => {
  const ap = `arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/analytics-ap`;
  const props = { bucket: BUCKET, prefix: '', source: 'access point analytics-ap', accessPointArn: ap };

  it("finds a reader through the access point's object resource", () => {
    const text = policy(allow({ AWS: `arn:aws:iam::${OTHER}:role/analyst` }, 's3:GetObject', `${ap}/object/*`));
    expect(objectAccessGrants(text, props)).toEqual([
      expect.objectContaining({
        principal: `arn:aws:iam::${OTHER}:role/analyst`,
        account: OTHER,
        access: ['read'],
        source: 'access point analytics-ap, statement Grant',
      }),
    ]);
  });

  it('ignores statements on another access point', () => {
    const text = policy(allow({ AWS: OTHER }, 's3:GetObject', `arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/other-ap/object/*`));
    expect(objectAccessGrants(text, props)).toEqual([]);
  });

  it('ignores statements on another prefix', () => {
    const text = policy(allow({ AWS: OTHER }, 's3:GetObject', `${ap}/object/public/*`));
    expect(objectAccessGrants(text, { ...props, prefix: 'reports/' })).toEqual([]);
  });
});

describe('classifyAccess', () => {
  const classify = (...statements: object[]) => classifyAccess(grantsOf(policy(...statements)));

  it('refuses an OAI by ARN', () => {
    const [finding] = classify(allow({ AWS: 'arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2QWRUHAPOMQZL' }));
    expect(finding).toMatchObject({ kind: 'cloudfront-oai', why: expect.stringContaining('origin access control') });
  });

  it('refuses an OAI by canonical user id', () => {
    const [finding] = classify(allow({ CanonicalUser: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be' }));
    expect(finding!.kind).toBe('cloudfront-oai');
  });

  it('finds CloudFront OAC with its distributions', () => {
    const distribution = `arn:aws:cloudfront::${ACCOUNT}:distribution/EDFDVBD6EXAMPLE`;
    const [finding] = classify(
      allow({ Service: 'cloudfront.amazonaws.com' }, 's3:GetObject', objects, {
        Condition: { StringEquals: { 'AWS:SourceArn': distribution } },
      }),
    );
    expect(finding).toMatchObject({ kind: 'cloudfront-oac', distributions: [distribution] });
  });

  it.each([
    ['S3 server access logs', { Service: 'logging.s3.amazonaws.com' }, 'grant-key'],
    ['vended logs', { Service: 'delivery.logs.amazonaws.com' }, 'grant-key'],
    ['ELB by service principal', { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' }, 'refuse'],
    ['ELB by regional account (us-east-1)', { AWS: 'arn:aws:iam::127311923021:root' }, 'refuse'],
    ['ELB by bare regional account id (eu-west-1)', { AWS: '156460612806' }, 'refuse'],
  ])('finds log delivery: %s', (_name, principal, verdict) => {
    const [finding] = classify(allow(principal, 's3:PutObject', `arn:aws:s3:::${BUCKET}/AWSLogs/${ACCOUNT}/*`));
    expect(finding).toMatchObject({ kind: 'log-delivery', verdict });
  });

  it('names the ELB refusal with the documented reason', () => {
    const [finding] = classify(allow({ Service: 'logdelivery.elasticloadbalancing.amazonaws.com' }, 's3:PutObject'));
    expect(finding).toMatchObject({ why: expect.stringContaining('SSE-S3') });
  });

  it('makes a reader and a writer of a principal that does both', () => {
    const findings = classify(allow({ AWS: `arn:aws:iam::${ACCOUNT}:role/app` }, ['s3:GetObject', 's3:PutObject']));
    expect(findings.map((f) => f.kind)).toEqual(['reader', 'writer']);
  });

  it('makes a cross-account reader an ordinary reader', () => {
    const findings = classify(allow({ AWS: `arn:aws:iam::${OTHER}:role/partner` }));
    expect(findings).toEqual([expect.objectContaining({ kind: 'reader', grant: expect.objectContaining({ account: OTHER }) })]);
  });
});

describe('refusesForeignEncryption', () => {
  const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
  const tlsOnly = {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
  const denyOther = {
    Sid: 'DenyEncryptionOtherThanKms',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:PutObject',
    Resource: 'arn:aws:s3:::b/*',
    Condition: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
  };

  it.each([
    ['the enforce mode: a Deny of PutObject on the encryption header', policy(tlsOnly, denyOther), true],
    ['the audit mode: TLS only', policy(tlsOnly), false],
    ['an Allow on the header is no refusal', policy({ ...denyOther, Effect: 'Allow' }), false],
  ])('%s', (_, document, expected) => {
    expect(refusesForeignEncryption(document)).toBe(expected);
  });
});
