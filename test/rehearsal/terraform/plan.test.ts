// The apply plan: references found anywhere, dependency order, and clear refusals of what it cannot do.
import { ApplyError, planApply, referencesIn, resolveValue } from '../../../rehearsal/terraform/plan';

describe('referencesIn', () => {
  it('finds whole-string, embedded and nested references, data sources included', () => {
    const refs = referencesIn(
      { a: '${aws_s3_bucket.B.arn}', b: ['s3://${aws_s3_bucket.B.bucket}/x/'], c: { d: '${data.aws_iam_policy_document.P.json}' } },
      'here',
    );
    expect(refs).toEqual([
      { address: 'aws_s3_bucket.B', path: ['arn'] },
      { address: 'aws_s3_bucket.B', path: ['bucket'] },
      { address: 'data.aws_iam_policy_document.P', path: ['json'] },
    ]);
  });

  it('refuses an expression it cannot evaluate, naming it', () => {
    expect(() => referencesIn('${jsonencode({a = 1})}', 'aws_x.y')).toThrow(ApplyError);
    expect(() => referencesIn('${jsonencode({a = 1})}', 'aws_x.y')).toThrow(/aws_x\.y: .*cannot evaluate \$\{jsonencode/);
  });
});

describe('resolveValue', () => {
  const lookup = ({ address, path }: { address: string; path: readonly string[] }) =>
    address === 'aws_x.a' && path[0] === 'n' ? 42 : `${address}.${path.join('.')}`;

  it('keeps the type of a whole-string reference and embeds others as text', () => {
    expect(resolveValue({ n: '${aws_x.a.n}', s: 'id-${aws_x.a.id}', '//': { meta: 1 } }, lookup, 'w')).toEqual({
      n: 42,
      s: 'id-aws_x.a.id',
    });
  });
});

describe('planApply', () => {
  it('orders every node after what it references or depends on', () => {
    const order = planApply({
      resource: {
        aws_kms_key: { K: { policy: '${data.aws_iam_policy_document.P.json}', depends_on: ['aws_iam_role.R'] } },
        aws_iam_role: { R: { name: 'r' } },
        aws_s3_bucket: { B: { bucket_prefix: 'x-' } },
        aws_s3_bucket_policy: { BP: { bucket: '${aws_s3_bucket.B.id}', policy: '${data.aws_iam_policy_document.P.json}' } },
      },
      data: { aws_iam_policy_document: { P: { statement: [{ resources: ['${aws_s3_bucket.B.arn}'] }] } } },
    }).map((n) => n.address);
    const before = (a: string, b: string) => expect(order.indexOf(a)).toBeLessThan(order.indexOf(b));
    before('aws_s3_bucket.B', 'data.aws_iam_policy_document.P');
    before('data.aws_iam_policy_document.P', 'aws_kms_key.K');
    before('aws_iam_role.R', 'aws_kms_key.K');
    before('aws_s3_bucket.B', 'aws_s3_bucket_policy.BP');
    expect(order).toHaveLength(5);
  });

  it('refuses a reference to something the stack does not declare', () => {
    expect(() => planApply({ resource: { aws_s3_bucket_policy: { BP: { bucket: '${aws_s3_bucket.Missing.id}' } } } })).toThrow(
      'aws_s3_bucket_policy.BP references aws_s3_bucket.Missing, which the stack does not declare',
    );
  });

  it('refuses a dependency cycle, showing it', () => {
    expect(() => planApply({ resource: { aws_a: { X: { v: '${aws_b.Y.id}' } }, aws_b: { Y: { v: '${aws_a.X.id}' } } } })).toThrow(
      /dependency cycle: aws_a\.X -> aws_b\.Y -> aws_a\.X/,
    );
  });
});
