// How IAM reads a policy's values, shared by the plan guard and the runner.
import { accountRootArn, actionMatches, oneOrMany, policyStrings, roleNameOf } from '../../stacks/policy-grammar';

describe('actionMatches', () => {
  it.each([
    ['kms:*', 'kms:Decrypt', true],
    ['kms:Re*', 'kms:ReEncryptFrom', true],
    ['KMS:decrypt', 'kms:Decrypt', true],
    ['s3:Get?bject', 's3:GetObject', true],
    ['s3:Get*', 's3:PutObject', false],
    ['s3:GetObject.', 's3:GetObjectX', false],
  ])('%s against %s: %s', (pattern, action, expected) => {
    expect(actionMatches(pattern, action)).toBe(expected);
  });
});

describe('policy values', () => {
  it('reads one value as a list of one and a missing one as none', () => {
    expect(oneOrMany('s3:GetObject')).toEqual(['s3:GetObject']);
    expect(oneOrMany(undefined)).toEqual([]);
  });

  it('keeps a value that is not a string as its JSON', () => {
    expect(policyStrings(['a', 7, { b: 1 }])).toEqual(['a', '7', '{"b":1}']);
  });
});

describe('principals', () => {
  it('reads a bare account id as its root, and nothing else', () => {
    expect(accountRootArn('111122223333')).toBe('arn:aws:iam::111122223333:root');
    expect(accountRootArn('arn:aws:iam::111122223333:root')).toBeUndefined();
  });

  it("reads a role's name as the last part of its path", () => {
    expect(roleNameOf('arn:aws:iam::111122223333:role/team/app/runner')).toBe('runner');
    expect(roleNameOf('arn:aws:iam::111122223333:user/runner')).toBeUndefined();
  });
});
