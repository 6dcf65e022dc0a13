// Table tests of which event notification destinations the migration's writes reach: event type matching, key filters, and the counts each receives.
import {
  COPY_EVENT,
  MULTIPART_COPY_EVENT,
  RESTORE_COMPLETED_EVENT,
  RESTORE_STARTED_EVENT,
  destinationsPossiblyReached,
  destinationsReached,
  eventMatches,
  firedEvents,
  type NotificationDestination,
} from '../../../runner/core/notifications';

const FUNCTION = 'arn:aws:lambda:us-east-1:111122223333:function:thumbnails';

function lambda(over: Partial<NotificationDestination> = {}): NotificationDestination {
  return { kind: 'lambda', arn: FUNCTION, events: ['s3:ObjectCreated:*'], prefix: '', suffix: '', ...over };
}

/** 100 copies, 3 over 5 GiB, 2 archived versions restored then copied. */
const FIRED = firedEvents({ copies: 100, multipartCopies: 3, restores: 2 });

describe('eventMatches', () => {
  it.each([
    ['s3:ObjectCreated:*', COPY_EVENT, true],
    ['s3:ObjectCreated:*', MULTIPART_COPY_EVENT, true],
    ['s3:ObjectCreated:Copy', COPY_EVENT, true],
    ['s3:ObjectCreated:Copy', MULTIPART_COPY_EVENT, false],
    ['s3:ObjectCreated:Put', COPY_EVENT, false],
    ['s3:ObjectCreated:CompleteMultipartUpload', MULTIPART_COPY_EVENT, true],
    ['s3:ObjectRemoved:*', COPY_EVENT, false],
    ['s3:ObjectRestore:*', RESTORE_STARTED_EVENT, true],
  ])('%s covers %s: %s', (configured, fired, matches) => {
    expect(eventMatches(configured, fired)).toBe(matches);
  });
});

describe('firedEvents', () => {
  it('counts a Copy event per copy and per restored version, a CompleteMultipartUpload per multipart copy, and both restore events per restore', () => {
    expect(FIRED).toEqual({ [COPY_EVENT]: 102, [MULTIPART_COPY_EVENT]: 3, [RESTORE_STARTED_EVENT]: 2, [RESTORE_COMPLETED_EVENT]: 2 });
  });
});

describe('destinationsReached', () => {
  const reached = (d: NotificationDestination, prefix = '') => destinationsReached([d], FIRED, prefix);

  it('gives a function on s3:ObjectCreated:* every copy and multipart copy, exactly', () => {
    expect(reached(lambda())).toEqual([
      expect.objectContaining({ events: { [COPY_EVENT]: 102, [MULTIPART_COPY_EVENT]: 3 }, total: 105, bound: 'exact' }),
    ]);
  });

  it('gives a function on :Copy only the copies', () => {
    expect(reached(lambda({ events: ['s3:ObjectCreated:Copy'] }))[0]).toMatchObject({ events: { [COPY_EVENT]: 102 }, total: 102 });
  });

  it('leaves out a function on :Put only: a copy does not fire it', () => {
    expect(reached(lambda({ events: ['s3:ObjectCreated:Put', 's3:ObjectRemoved:*'] }))).toEqual([]);
  });

  it('gives EventBridge every event the migration fires, whatever its (absent) event list', () => {
    expect(reached({ kind: 'eventbridge', arn: 'eventbridge', events: ['*'], prefix: '', suffix: '' })[0]).toMatchObject({
      total: 109,
      bound: 'exact',
    });
  });

  it.each<[string, Partial<NotificationDestination>, string, 'exact' | 'upper' | undefined]>([
    ['a prefix filter every migrated key starts with', { prefix: 'photos/' }, 'photos/raw/', 'exact'],
    ['a prefix filter narrower than the migrated prefix', { prefix: 'photos/raw/' }, 'photos/', 'upper'],
    ['a suffix filter', { suffix: '.jpg' }, '', 'upper'],
    ['a prefix filter beside the migrated prefix', { prefix: 'logs/' }, 'photos/', undefined],
  ])('with %s, counts %s', (_name, filter, migrationPrefix, bound) => {
    const found = reached(lambda(filter), migrationPrefix);
    if (bound === undefined) expect(found).toEqual([]);
    else expect(found[0]).toMatchObject({ total: 105, bound });
  });

  it('says why a filtered count is only an upper bound', () => {
    expect(reached(lambda({ suffix: '.jpg' }))[0]!.why).toBe(
      'only keys with suffix ".jpg" fire it; the plan counts versions, not keys, so this is at most the count',
    );
  });

  it('reaches nobody when the plan writes nothing', () => {
    expect(destinationsReached([lambda()], firedEvents({ copies: 0, multipartCopies: 0, restores: 0 }), '')).toEqual([]);
  });

  it('names every destination a copy could reach when there are no counts, by event types and filters alone', () => {
    const queue: NotificationDestination = {
      kind: 'queue',
      arn: 'arn:aws:sqs:us-east-1:111122223333:ingest',
      events: ['s3:ObjectCreated:Put'],
      prefix: '',
      suffix: '',
    };
    expect(destinationsPossiblyReached([lambda(), queue, lambda({ arn: `${FUNCTION}-logs`, prefix: 'logs/' })], 'photos/')).toEqual([
      lambda(),
    ]);
  });
});
