// Table tests of the policy reading blocks: resource pattern overlap and coverage, and condition evaluation.
import { evaluateConditions, requestContext } from '../../../runner/core/policy-conditions';
import { coversPrefix, overlaps, resourceTokens, underPrefix } from '../../../runner/core/policy-document';

describe('overlaps', () => {
  it.each([
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/', true],
    ['arn:aws:s3:::b/logs/*', 'arn:aws:s3:::b/', true],
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/logs/', true],
    ['arn:aws:s3:::b/*/2024/*', 'arn:aws:s3:::b/logs/', true],
    ['arn:aws:s3:::b?/*', 'arn:aws:s3:::bb/', true],
    ['arn:aws:s3:::b', 'arn:aws:s3:::b/', false],
    ['arn:aws:s3:::b-archive/*', 'arn:aws:s3:::b/', false],
    ['arn:aws:s3:::b/Logs/*', 'arn:aws:s3:::b/logs/', false],
  ])('%s meets objects under %s: %s', (pattern, prefix, expected) => {
    expect(overlaps(resourceTokens(pattern), underPrefix(prefix))).toBe(expected);
  });
});

describe('coversPrefix', () => {
  it.each([
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/', true],
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/logs/', true],
    ['*', 'arn:aws:s3:::b/', true],
    ['arn:aws:s3:::*/*', 'arn:aws:s3:::b/', true],
    ['arn:aws:s3:::b/logs/*', 'arn:aws:s3:::b/', false],
    ['arn:aws:s3:::b/*.log', 'arn:aws:s3:::b/', false],
    ['arn:aws:s3:::b/index.html', 'arn:aws:s3:::b/', false],
  ])('%s covers everything under %s: %s', (pattern, prefix, expected) => {
    expect(coversPrefix(resourceTokens(pattern), prefix)).toBe(expected);
  });
});

/** A Condition block as written (single values or lists), as the parser normalises it: lists. */
function asLists(conditions: Record<string, Record<string, string | string[]>>): Record<string, Record<string, string[]>> {
  return Object.fromEntries(
    Object.entries(conditions).map(([op, entries]) => [
      op,
      Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, typeof v === 'string' ? [v] : v])),
    ]),
  );
}

describe('evaluateConditions', () => {
  const context = requestContext({
    'kms:ViaService': 's3.us-east-1.amazonaws.com',
    'aws:SourceArn': 'arn:aws:cloudfront::111122223333:distribution/E1',
    'aws:SourceAccount': null,
  });

  it.each([
    ['no conditions', {}, 'true'],
    ['StringEquals that holds', { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } }, 'true'],
    ['StringEquals on another value', { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } }, 'false'],
    ['any of several values', { StringEquals: { 'kms:ViaService': ['s3.eu-west-1.amazonaws.com', 's3.us-east-1.amazonaws.com'] } }, 'true'],
    ['condition keys in any case', { StringEquals: { 'KMS:viaservice': 's3.us-east-1.amazonaws.com' } }, 'true'],
    ['StringNotEquals', { StringNotEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } }, 'false'],
    ['StringLike', { StringLike: { 'kms:ViaService': 's3.*.amazonaws.com' } }, 'true'],
    ['ArnLike', { ArnLike: { 'aws:SourceArn': 'arn:aws:cloudfront::111122223333:distribution/*' } }, 'true'],
    ['a key the request does not carry', { StringEquals: { 'aws:SourceAccount': '111122223333' } }, 'false'],
    ['...IfExists on a key the request does not carry', { StringEqualsIfExists: { 'aws:SourceAccount': '111122223333' } }, 'true'],
    ['Null true on a missing key', { Null: { 'aws:SourceAccount': 'true' } }, 'true'],
    ['an unknown key', { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } }, 'unknown'],
    ['an unknown operator on a known key', { NumericLessThan: { 'kms:ViaService': '3' } }, 'unknown'],
    [
      'a failing entry beside an unknown one',
      { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com', 'aws:PrincipalOrgID': 'o-1' } },
      'false',
    ],
  ])('%s', (_name, conditions, truth) => {
    expect(evaluateConditions(asLists(conditions), context).truth).toBe(truth);
  });
});
