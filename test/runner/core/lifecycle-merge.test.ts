// Table tests of the expiration rule's merge into existing lifecycle rules: others kept as they are, ours added, updated, removed, conflicts refused.
import {
  EXPIRATION_RULE_ID,
  LifecycleRuleLike,
  MAX_LIFECYCLE_RULES,
  expirationRule,
  lifecycleDiff,
  mergeExpirationRule,
  prefixesOverlap,
  removeExpirationRule,
} from '../../../runner/core/lifecycle-merge';

// Rules of the shapes people really have, as the SDK returns them.
const transitionLogs = {
  ID: 'logs-to-ia',
  Status: 'Enabled',
  Filter: { Prefix: 'logs/' },
  Transitions: [{ Days: 30, StorageClass: 'STANDARD_IA' }],
};
const expireTmp = { ID: 'expire-tmp', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 7 } };
const taggedAnd = {
  ID: 'archive-tagged',
  Status: 'Enabled',
  Filter: { And: { Prefix: 'reports/', Tags: [{ Key: 'archive', Value: 'yes' }], ObjectSizeGreaterThan: 1024 } },
  Transitions: [{ Days: 90, StorageClass: 'GLACIER' }],
};
const tagOnly = {
  ID: 'tag-only',
  Status: 'Enabled',
  Filter: { Tag: { Key: 'team', Value: 'payments' } },
  Expiration: { ExpiredObjectDeleteMarker: true },
};
const abortMultipart = {
  ID: 'abort-mpu',
  Status: 'Enabled',
  Filter: { Prefix: '' },
  AbortIncompleteMultipartUpload: { DaysAfterInitiation: 3 },
};
const noncurrentTransition = {
  ID: 'noncurrent-to-glacier',
  Status: 'Enabled',
  Filter: { Prefix: '' },
  NoncurrentVersionTransitions: [{ NoncurrentDays: 30, StorageClass: 'GLACIER', NewerNoncurrentVersions: 2 }],
};
const legacyPrefix = { ID: 'legacy', Status: 'Enabled', Prefix: 'old/', Expiration: { Days: 365 } };
const manyShapes: LifecycleRuleLike[] = [transitionLogs, expireTmp, taggedAnd, tagOnly, abortMultipart, noncurrentTransition, legacyPrefix];

const ours = expirationRule({ noncurrentDays: 30 });

describe('expirationRule', () => {
  it.each([
    [{ noncurrentDays: 30 }, { NoncurrentDays: 30 }, ''],
    [{ noncurrentDays: 7, newerNoncurrentVersions: 3 }, { NoncurrentDays: 7, NewerNoncurrentVersions: 3 }, ''],
    [{ noncurrentDays: 7, newerNoncurrentVersions: 0, prefix: 'data/' }, { NoncurrentDays: 7 }, 'data/'],
  ])('builds %j', (props, expiration, prefix) => {
    expect(expirationRule(props)).toEqual({
      ID: EXPIRATION_RULE_ID,
      Status: 'Enabled',
      Filter: { Prefix: prefix },
      NoncurrentVersionExpiration: expiration,
    });
  });

  it.each([
    [{ noncurrentDays: 0 }, "'noncurrentDays' must be a whole number of at least 1. Received: 0"],
    [{ noncurrentDays: 1.5 }, 'Received: 1.5'],
    [{ noncurrentDays: 1, newerNoncurrentVersions: 101 }, "'newerNoncurrentVersions' must be a whole number from 0 to 100. Received: 101"],
  ])('refuses %j', (props, message) => {
    expect(() => expirationRule(props)).toThrow(message);
  });
});

describe('mergeExpirationRule', () => {
  it('adds our rule to a bucket without a configuration', () => {
    expect(mergeExpirationRule([], ours)).toEqual({ kind: 'add', rules: [ours] });
  });

  it('keeps every existing rule, the same objects in the same order, and appends ours', () => {
    const outcome = mergeExpirationRule(manyShapes, ours);
    expect(outcome.kind).toBe('add');
    if (outcome.kind !== 'add') return;
    expect(outcome.rules.slice(0, manyShapes.length)).toEqual(manyShapes);
    outcome.rules.slice(0, manyShapes.length).forEach((r, i) => expect(r).toBe(manyShapes[i]));
    expect(outcome.rules.at(-1)).toBe(ours);
  });

  it.each([
    ['identical', { ...ours }],
    [
      'identical after the XML round trip (NewerNoncurrentVersions 0 written out)',
      { ...ours, NoncurrentVersionExpiration: { NoncurrentDays: 30, NewerNoncurrentVersions: 0 } },
    ],
  ])('is a no-op when our rule is already there, %s', (_name, present) => {
    const outcome = mergeExpirationRule([transitionLogs, present], ours);
    expect(outcome.kind).toBe('unchanged');
  });

  it.each([
    ['other days', { ...ours, NoncurrentVersionExpiration: { NoncurrentDays: 90 } }],
    ['another prefix', { ...ours, Filter: { Prefix: 'a/' } }],
    ['disabled', { ...ours, Status: 'Disabled' }],
  ])('updates only our rule, in its place, when it has %s', (_name, present) => {
    const outcome = mergeExpirationRule([transitionLogs, present, expireTmp], ours);
    expect(outcome).toEqual({ kind: 'update', rules: [transitionLogs, ours, expireTmp], previous: present });
    if (outcome.kind === 'update') {
      expect(outcome.rules[0]).toBe(transitionLogs);
      expect(outcome.rules[2]).toBe(expireTmp);
    }
  });

  it.each([
    [
      'whole bucket vs whole bucket',
      { ID: 'theirs', Status: 'Enabled', Filter: { Prefix: '' }, NoncurrentVersionExpiration: { NoncurrentDays: 365 } },
      '',
    ],
    [
      'a sub-prefix of ours',
      { ID: 'theirs', Status: 'Enabled', Filter: { Prefix: 'data/raw/' }, NoncurrentVersionExpiration: { NoncurrentDays: 90 } },
      'data/',
    ],
    [
      'a parent prefix of ours, in an And filter',
      {
        ID: 'theirs',
        Status: 'Enabled',
        Filter: { And: { Prefix: 'da', Tags: [{ Key: 'k', Value: 'v' }] } },
        NoncurrentVersionExpiration: { NewerNoncurrentVersions: 5 },
      },
      'data/',
    ],
    [
      'the legacy top-level prefix',
      { ID: 'theirs', Status: 'Enabled', Prefix: 'data/', NoncurrentVersionExpiration: { NoncurrentDays: 10 } },
      '',
    ],
  ])('reports a conflict with another rule expiring noncurrent versions: %s', (_name, theirs, prefix) => {
    const outcome = mergeExpirationRule([transitionLogs, theirs], expirationRule({ noncurrentDays: 30, prefix }));
    expect(outcome.kind).toBe('conflict');
    if (outcome.kind === 'conflict') expect(outcome.conflicts[0]).toMatch(/^rule 'theirs' already expires noncurrent versions/);
  });

  it.each([
    [
      'a disjoint prefix',
      { ID: 'theirs', Status: 'Enabled', Filter: { Prefix: 'logs/' }, NoncurrentVersionExpiration: { NoncurrentDays: 1 } },
    ],
    ['a disabled rule', { ID: 'theirs', Status: 'Disabled', Filter: { Prefix: '' }, NoncurrentVersionExpiration: { NoncurrentDays: 1 } }],
    ['noncurrent transitions only', noncurrentTransition],
  ])('is no conflict: %s', (_name, theirs) => {
    expect(mergeExpirationRule([theirs], expirationRule({ noncurrentDays: 30, prefix: 'data/' })).kind).toBe('add');
  });

  it('reports a full configuration (1,000 rules) as a conflict, but updates ours inside one', () => {
    const full = Array.from({ length: MAX_LIFECYCLE_RULES }, (_, i) => ({
      ID: `r${i}`,
      Status: 'Enabled',
      Filter: { Prefix: `p${i}/` },
      Expiration: { Days: 1 },
    }));
    const outcome = mergeExpirationRule(full, ours);
    expect(outcome.kind).toBe('conflict');
    if (outcome.kind === 'conflict') expect(outcome.conflicts[0]).toMatch(/1000 rules, the most S3 accepts/);
    const withOurs = [...full.slice(1), { ...ours, NoncurrentVersionExpiration: { NoncurrentDays: 1 } }];
    expect(mergeExpirationRule(withOurs, ours).kind).toBe('update');
  });
});

describe('removeExpirationRule', () => {
  it.each([
    ['no configuration', [], 'unchanged', []],
    ['no rule of ours', [transitionLogs], 'unchanged', [transitionLogs]],
    ['ours among others', [transitionLogs, ours, expireTmp], 'remove', [transitionLogs, expireTmp]],
    ['ours alone', [ours], 'delete-configuration', []],
  ])('%s: %s', (_name, rules, kind, remaining) => {
    const outcome = removeExpirationRule(rules as LifecycleRuleLike[]);
    expect(outcome.kind).toBe(kind);
    expect(outcome.rules).toEqual(remaining);
  });
});

describe('prefixesOverlap', () => {
  it.each([
    ['', 'a/', true],
    ['a/', 'a/b/', true],
    ['a/', 'b/', false],
    ['ab', 'a/', false],
  ])('%j and %j: %s', (a, b, overlap) => {
    expect(prefixesOverlap(a, b)).toBe(overlap);
  });
});

describe('lifecycleDiff', () => {
  it('names every rule: kept, changed, added, removed', () => {
    const changed = { ...expireTmp, Expiration: { Days: 8 } };
    expect(lifecycleDiff([transitionLogs, expireTmp, tagOnly], [transitionLogs, changed, ours]).map((c) => [c.id, c.change])).toEqual([
      ['logs-to-ia', 'kept'],
      ['expire-tmp', 'changed'],
      ['tag-only', 'removed'],
      [EXPIRATION_RULE_ID, 'added'],
    ]);
  });
});
