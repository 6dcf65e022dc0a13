// The migration report read as its readers read it: the HTML parsed as a browser would, the markdown and JSON as a pipeline would.
import { defined } from '../../support/defined';
import { HTMLElement, NodeType, parse, type Node } from 'node-html-parser';
import { migrationReport, type MigrationReport } from '../../../runner/core/report';
import { reportHtml } from '../../../runner/core/report-html';
import { showControls } from '../../../runner/core/control-characters';
import { reportMarkdown, stepSummaryMarkdown } from '../../../runner/core/report-markdown';
import { renderReport } from '../../../runner/engine/report';
import { emptyState } from '../../../runner/state';
import { parseStateDocument } from '../../../runner/state-document';
import {
  COMMIT,
  DONE_BUCKET,
  TROUBLED_BUCKET,
  accessCheck,
  accessRecord,
  demoOutputs,
  demoState,
  finishedState,
  outputsHolding,
  reportOutputs,
  stateHolding,
  troubledState,
} from '../report-builders';
import { humanDay, humanTime } from '../../../runner/core/report';
import { stackOutputs } from '../builders';
import { BIDI_CONTROL, HOSTILE } from '../support/hostile-values';
import { codeBlocksOf, countsOf, headingsOf, markupOf, tablesOf, textsOf } from '../support/markdown';

const generatedAt = new Date('2026-11-30T08:00:00.000Z');
const finished = (): MigrationReport => migrationReport({ state: finishedState(), outputs: stackOutputs(), generatedAt });
const troubled = (): MigrationReport => migrationReport({ state: troubledState(), outputs: reportOutputs(), generatedAt });

/** The finished bucket with an access check: a granted reader, and a hostile principal the config accepts losing. */
const HOSTILE_PRINCIPAL = 'arn:aws:iam::123456789012:role/<img src=x onerror=alert(1)>|**x**';
const withAccess = (): MigrationReport => {
  const state = finishedState();
  state.access = {
    [DONE_BUCKET]: accessRecord([
      accessCheck(),
      accessCheck({ principal: HOSTILE_PRINCIPAL, kind: 'writer', source: 'access point etl', verdict: 'not-granted', accepted: true }),
    ]),
  };
  return migrationReport({ state, outputs: stackOutputs(), generatedAt });
};

/** The finished bucket with a downstream check: a refused replication rule, a hostile function ARN reached, EventBridge accepted. */
const withDownstream = (): MigrationReport => {
  const state = finishedState();
  state.downstream = {
    [DONE_BUCKET]: {
      checkedAt: '2026-11-28T08:55:00.000Z',
      replication: [
        { rule: 'to-dr', destination: 'arn:aws:s3:::acme-dr', verdict: 'refuse' },
        { rule: 'logs', destination: 'arn:aws:s3:::acme-logs', verdict: 'not-covered' },
      ],
      events: [
        { destination: HOSTILE_PRINCIPAL, kind: 'lambda', events: 1234, bound: 'upper', accepted: false },
        { destination: 'eventbridge', kind: 'eventbridge', events: 2000, bound: 'exact', accepted: true },
      ],
      cannotTell: [],
      unsupported: ['GetBucketReplication on acme-data: the endpoint does not implement it (NotImplemented)'],
    },
  };
  return migrationReport({ state, outputs: stackOutputs(), generatedAt });
};

const text = (el: HTMLElement | null | undefined): string => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
/** A table's body as rows of cell texts. */
const rows = (table: HTMLElement | null): string[][] =>
  table ? table.querySelectorAll('tbody tr').map((tr) => tr.querySelectorAll('td').map(text)) : [];
/**
 * The markup of a document; without its code spans when `value` holds a backslash before a pipe,
 * which a table cell shows as text because no GFM code span can hold it.
 */
const markupFor = (value: string, markdown: string): string[] =>
  markupOf(markdown).filter((t) => !(/\\\|/.test(value) && t === 'code_inline:code'));

/** Every text node under an element. */
const textNodes = (el: HTMLElement): Node[] =>
  el.childNodes.flatMap((c) => (c instanceof HTMLElement ? textNodes(c) : c.nodeType === NodeType.TEXT_NODE ? [c] : []));

const section = (doc: HTMLElement, bucket: string): HTMLElement => {
  const found = doc.querySelectorAll('section.bucket').find((s) => s.getAttribute('data-bucket') === bucket);
  if (!found) throw new Error(`no section for ${bucket}`);
  return found;
};

describe('migrationReport (the model)', () => {
  it('counts the plan before: compliant, to migrate, left alone, without delete markers', () => {
    const before = defined(finished().buckets[0], 'a bucket').before!;
    expect(before.total).toEqual({ versions: 1000, bytes: 1024 + 7_340_032 + 2_097_152 });
    expect(before.compliance).toEqual({ compliant: 100, nonCompliant: 900, awaitingExpiration: 0, exceptions: 0 });
    expect(before.byStorageClass).toEqual([
      { storageClass: 'STANDARD', versions: 900, bytes: 1024 + 6_291_456 + 2_097_152 },
      { storageClass: 'STANDARD_IA', versions: 100, bytes: 1_048_576 },
    ]);
  });

  it('names the completion report of every created job, and none for a planned one', () => {
    const state = finishedState();
    state.jobs.tp = {
      token: 'tp',
      bucket: DONE_BUCKET,
      operation: 'S3PutObjectCopy',
      storageClass: 'GLACIER_IR',
      inventoryDate: 'x',
      attempt: 0,
      versions: 4,
    };
    const jobs = migrationReport({ state, outputs: stackOutputs(), generatedAt }).buckets[0]?.jobs ?? [];
    expect(jobs.find((j) => j.token === 'tu')!.completionReport).toBe(
      's3://kmsmig-prod-reports-20261123/prod/job-reports/acme-data/job-job-update-1/',
    );
    expect(jobs.find((j) => j.token === 'tp')).toMatchObject({ status: 'planned', total: 4 });
    expect(jobs.find((j) => j.token === 'tp')!.completionReport).toBeUndefined();
  });

  it('leaves nothing open for a bucket migrated, verified and expired', () => {
    const b = defined(finished().buckets[0], 'a bucket');
    expect(b).toMatchObject({ stands: 'done', reasons: [] });
    expect(b.next).toBeUndefined();
  });

  it.each([
    [
      'not verified',
      (s: ReturnType<typeof finishedState>) => delete s.verifications,
      'verify --stack prod --bucket acme-data',
      /not verified yet/,
    ],
    [
      'verified, expiration not applied',
      (s: ReturnType<typeof finishedState>) => delete s.expiration,
      'expire --stack prod --bucket acme-data',
      /expiration not applied/,
    ],
    [
      'expiration undone',
      (s: ReturnType<typeof finishedState>) =>
        (s.expiration![DONE_BUCKET] = { ...defined(s.expiration![DONE_BUCKET], 'the expiration record'), action: 'removed' }),
      'expire --stack prod --bucket acme-data',
      /expiration not applied/,
    ],
    [
      'a job still running',
      (s: ReturnType<typeof finishedState>) => (defined(s.jobs.tu, 'job tu').status = 'Active'),
      'run --stack prod',
      /job job-update-1 Active/,
    ],
  ])('%s: says what is open and the command that moves it on', (_name, change, command, reason) => {
    const state = finishedState();
    change(state);
    const b = defined(migrationReport({ state, outputs: stackOutputs(), generatedAt }).buckets[0], 'the bucket');
    expect(b.next).toBe(`npm run migrate -- ${command}`);
    expect(b.reasons.join('\n')).toMatch(reason);
  });

  it('sends failed work to retry-failed before anything is verified again', () => {
    const b = troubled().buckets.find((x) => x.bucket === TROUBLED_BUCKET)!;
    expect(b.stands).toBe('needs-human');
    expect(b.next).toBe('npm run migrate -- retry-failed --stack prod');
    expect(b.reasons).toEqual(
      expect.arrayContaining([
        'job job-failing-9: 7 failed tasks',
        'outside-batch pass: 2 versions failed',
        '2 archived versions being restored',
        `last verification failed (2026-11-29T10:00:00.000Z)`,
      ]),
    );
  });

  it('reports a bucket the state knows that is no longer in the stack', () => {
    const report = migrationReport({ state: troubledState(), outputs: stackOutputs(), generatedAt });
    expect(report.buckets.map((b) => b.bucket)).toEqual([TROUBLED_BUCKET, DONE_BUCKET]);
  });

  it('reports an empty state as nothing recorded yet', () => {
    const report = migrationReport({ state: emptyState('prod'), outputs: stackOutputs(), generatedAt });
    expect(report.stands).toBe('running');
    expect(report.buckets[0]).toMatchObject({
      bucket: DONE_BUCKET,
      jobs: [],
      passes: [],
      reasons: ['nothing recorded in the state: run `migrate run`; it plans, and adopts the jobs earlier runs created for that plan'],
    });
  });
});

describe('the state keeps plan records', () => {
  it('accepts a version 2 state with plans and one without', () => {
    for (const state of [finishedState(), emptyState('prod')]) {
      const parsed = parseStateDocument(JSON.stringify(state));
      expect('value' in parsed ? parsed.value.plans : parsed).toEqual(state.plans);
    }
  });

  it('refuses a plan record with a negative count, naming where', () => {
    const state = finishedState();
    (defined(state.plans![DONE_BUCKET], 'the plan record').byAction as Record<string, { versions: number; bytes: number }>).copy = {
      versions: -1,
      bytes: 0,
    };
    const parsed = parseStateDocument(JSON.stringify(state));
    expect('problem' in parsed && parsed.problem).toContain('plans.acme-data.byAction.copy.versions');
  });
});

describe('reportHtml, parsed', () => {
  it('is one self-contained file: no script, no external stylesheet, font, image or link', () => {
    const html = reportHtml(troubled());
    const doc = parse(html);
    expect(doc.querySelectorAll('script')).toHaveLength(0);
    expect(doc.querySelectorAll('link')).toHaveLength(0);
    expect(doc.querySelectorAll('img, iframe, object, embed')).toHaveLength(0);
    for (const el of doc.querySelectorAll('*')) {
      for (const attr of ['src', 'href']) {
        const value = el.getAttribute(attr);
        if (value !== undefined) expect([attr, value]).toEqual([attr, expect.stringMatching(/^#/)]);
      }
    }
    const css = doc
      .querySelectorAll('style')
      .map((s) => s.textContent)
      .join('\n');
    expect(css).not.toMatch(/@import|url\(|@font-face/);
    expect(css).toContain('@media print');
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it('shows the stack: key ARN, alias, rotation, Region and account', () => {
    const doc = parse(reportHtml(finished()));
    const facts = doc.querySelectorAll('#stack dt').map((dt, i) => [text(dt), text(doc.querySelectorAll('#stack dd')[i])]);
    expect(Object.fromEntries(facts)).toEqual({
      'KMS key': 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555',
      Alias: 'alias/s3-migration-prod',
      Rotation: 'enabled by the stack (automatic yearly rotation)',
      Region: 'eu-west-1',
      Account: '123456789012',
    });
  });

  it('shows a finished bucket before and after, its jobs with their completion reports, and its expiration rule', () => {
    const doc = parse(reportHtml(finished()));
    expect(text(doc.querySelector('#overall'))).toBe('done');
    const s = section(doc, DONE_BUCKET);
    expect(text(s.querySelector('h2'))).toBe('acme-data done');
    expect(s.querySelector('.open')).toBeNull();
    expect(rows(s.querySelector('table.before-actions')).map((r) => [r[0], r[2]])).toEqual([
      ['update-encryption', '700'],
      ['copy', '200'],
      ['compliant', '100'],
      ['delete-marker', '5'],
    ]);
    expect(rows(s.querySelector('table.before-classes'))).toEqual([
      ['STANDARD', '900', '8.0 MiB'],
      ['STANDARD_IA', '100', '1.0 MiB'],
    ]);
    expect(text(s.querySelector('.verdict'))).toBe('PASS');
    expect(rows(s.querySelector('table.after-counts'))).toEqual([
      ['current', '900', '0', '-', '-'],
      ['noncurrent', '100', '0', '-', '-'],
    ]);
    const jobs = rows(s.querySelector('table.jobs'));
    expect(jobs).toContainEqual([
      'job-update-1',
      'S3UpdateObjectEncryption',
      '-',
      'Complete',
      '700',
      '0',
      '700',
      '-',
      '20 checked, 0 disagree',
      '…/job-job-update-1/',
    ]);
    // The folder once in full; each cell its job's folder, the whole URL in its title.
    expect(text(s.querySelector('.report-folder code'))).toBe('s3://kmsmig-prod-reports-20261123/prod/job-reports/acme-data/');
    expect(
      s.querySelectorAll('table.jobs tbody tr').map((tr) => tr.querySelectorAll('td')[9]?.querySelector('span')?.getAttribute('title')),
    ).toContain('s3://kmsmig-prod-reports-20261123/prod/job-reports/acme-data/job-job-update-1/');
    expect(text(s.querySelector('.expiration'))).toBe(
      'Rule kms-migration-expire-noncurrent applied (added) 29 Nov 2026, 12:00 UTC: noncurrent versions expire after 30 days; those noncurrent now are gone by 30 Dec 2026.',
    );
    expect(s.querySelector('.expiration time')!.getAttribute('datetime')).toBe('2026-11-29T12:00:00.000Z');
  });

  it('draws each bucket before and after as an inline SVG whose bars add up to the versions', () => {
    const s = section(parse(reportHtml(finished())), DONE_BUCKET);
    const svg = s.querySelector('svg')!;
    expect(svg.getAttribute('aria-label')).toBe(
      'Compliance of acme-data: before 10.0% compliant (100), 900 not compliant, 0 exceptions; after 100% compliant (1,000), 0 not compliant, 0 exceptions',
    );
    // 1,000 px wide, 70 for the labels and 10 spare: 920 for the bars.
    const widths = (cls: string) => svg.querySelectorAll(`rect.${cls}`).map((r) => Number(r.getAttribute('width')));
    // Before: 10% compliant, 90% not; after: one full bar compliant.
    expect(widths('compliant')).toEqual([92, 920]);
    expect(widths('nonCompliant')).toEqual([828]);
  });

  it('renders a troubled bucket as clearly: what failed, the exceptions, the open restores, and what to run', () => {
    const doc = parse(reportHtml(troubled()));
    expect(text(doc.querySelector('#overall'))).toBe('needs attention');
    const s = section(doc, TROUBLED_BUCKET);
    expect(text(s.querySelector('h2'))).toBe('acme-archive needs attention');
    const open = s.querySelector('.open')!;
    expect(open.querySelectorAll('li').map(text)).toEqual(
      expect.arrayContaining([
        'job job-failing-9: 7 failed tasks',
        'job job-failing-9: 1 version read back disagrees',
        'outside-batch pass: 2 versions failed',
        '2 archived versions being restored',
        'last verification failed (2026-11-29T10:00:00.000Z)',
      ]),
    );
    expect(text(open.querySelector('code.next'))).toBe('npm run migrate -- retry-failed --stack prod');
    expect(text(s.querySelector('.verdict'))).toBe('FAIL');
    expect(rows(s.querySelector('table.after-counts'))[0]).toEqual(['current', '43', '4', 'sse-s3 4', 'sse-c 2']);
    expect(s.querySelectorAll('ul.samples li').map(text)).toEqual([
      'docs/<script>alert(1)</script>.txt version v-bad-1: sse-s3',
      'secret/customer-key.bin version v-ssec: sse-c',
    ]);
    expect(rows(s.querySelector('table.jobs'))[0]).toEqual([
      'job-failing-9',
      'S3UpdateObjectEncryption',
      '-',
      'Complete',
      '33',
      '7',
      '40',
      'AccessDenied 5, 500 InternalError 2',
      '10 checked, 1 disagree',
      '…/job-job-failing-9/',
    ]);
    expect(rows(s.querySelector('table.passes'))).toEqual([
      [
        'outside-batch',
        'inventory:2026-11-28-01-00',
        '28 Nov 2026, 10:00 UTC',
        '28 Nov 2026, 10:05 UTC',
        'copied 1, failed 2',
        '1',
        '0',
        '2',
        'SlowDown 2',
      ],
    ]);
    expect(text(s.querySelector('.expiration'))).toBe('Not applied: the old versions are kept.');
    const svg = s.querySelector('svg')!;
    expect(svg.querySelectorAll('rect.exceptions')).toHaveLength(2);
    // 53 examined (43 current, 10 noncurrent): 4 not compliant, 2 accepted, 47 compliant.
    expect(svg.getAttribute('aria-label')).toContain('after 88.7% compliant (47), 4 not compliant, 2 exceptions');
  });

  it('shows who reads and writes a bucket: principal, as, via, the key verdict and what is accepted, the principal escaped', () => {
    const doc = parse(reportHtml(withAccess()));
    const s = section(doc, DONE_BUCKET);
    expect(s.querySelectorAll('img')).toHaveLength(0);
    expect(s.querySelectorAll('table.access th').map(text)).toEqual(['principal', 'as', 'via', 'key', 'accepted']);
    expect(rows(s.querySelector('table.access'))).toEqual([
      ['arn:aws:iam::123456789012:role/analytics', 'reader', 'bucket policy', 'granted', '-'],
      [HOSTILE_PRINCIPAL, 'writer', 'access point etl', 'NOT GRANTED', 'yes: loses access'],
    ]);
    expect(text(s.querySelector('.open'))).toBe('');
  });

  it('shows what the writes set off: each replication rule with its verdict, each event destination with its count and acceptance, escaped', () => {
    const s = section(parse(reportHtml(withDownstream())), DONE_BUCKET);
    expect(s.querySelectorAll('img')).toHaveLength(0);
    expect(rows(s.querySelector('table.replication'))).toEqual([
      ['to-dr', 'arn:aws:s3:::acme-dr', 'REFUSE'],
      ['logs', 'arn:aws:s3:::acme-logs', 'not-covered'],
    ]);
    expect(rows(s.querySelector('table.events'))).toEqual([
      [HOSTILE_PRINCIPAL, 'lambda', 'at most 1,234', 'NO'],
      ['eventbridge', 'eventbridge', '2,000', 'yes'],
    ]);
    expect(text(s.querySelector('ul.downstream-cannot-tell'))).toBe(
      'not checked: GetBucketReplication on acme-data: the endpoint does not implement it (NotImplemented)',
    );
  });

  it('escapes what the state holds: a key cannot add markup', () => {
    const doc = parse(reportHtml(troubled()));
    expect(doc.querySelectorAll('script')).toHaveLength(0);
  });

  describe.each(HOSTILE)('a key, id, code and reason holding %s', (_name, value) => {
    const shown = showControls(value);
    const html = reportHtml(migrationReport({ state: stateHolding(value), outputs: outputsHolding(value), rotation: value, generatedAt }));
    const doc = parse(html);

    it('adds no element, and shows the value as it is, bidi controls and line breaks as escapes', () => {
      expect(doc.querySelectorAll('script, img, iframe, object, embed, link')).toHaveLength(0);
      expect(
        doc
          .querySelectorAll('a')
          .map((a) => a.getAttribute('href'))
          .sort(),
      ).toEqual([`#bucket-${shown}`, '#bucket-acme-data'].sort());
      expect(html).not.toMatch(BIDI_CONTROL);
      const s = section(doc, shown);
      expect(s.querySelectorAll('ul.samples li').map((li) => li.textContent)).toEqual([
        `${shown} version ${shown}: ${shown}`,
        `${shown} version ${shown}: ${shown}`,
      ]);
      expect(s.querySelector('h2')!.textContent).toBe(`${shown} needs attention`);
      expect(s.querySelectorAll('table.access tbody tr').map((tr) => tr.querySelectorAll('td').map((td) => td.textContent))).toEqual([
        [shown, shown, shown, 'NOT GRANTED', '-'],
        [shown, 'reader', 'bucket policy', 'CANNOT WORK', 'yes: loses access'],
      ]);
    });

    it('isolates every value from data in a bdi element, so right-to-left text cannot reorder its neighbours', () => {
      const holding = textNodes(doc.querySelector('body')!).filter((t) => t.textContent.includes(shown));
      expect(holding.length).toBeGreaterThan(20);
      // An SVG or page title cannot hold an element: there the value is escaped only.
      const outside = holding.map((t) => t.parentNode!).filter((parent) => !['bdi', 'title'].includes(parent.rawTagName));
      expect(outside.map((parent) => parent.toString())).toEqual([]);
    });
  });
});

describe('reportMarkdown, parsed', () => {
  it('fits a pull-request comment: a heading, the stack table, a row per bucket, and what is still open', () => {
    const md = reportMarkdown(troubled());
    expect(md.length).toBeLessThan(65_536);
    expect(headingsOf(md)).toEqual([
      'h2 SSE-KMS migration report: stack prod',
      'h3 ❌ acme-archive: needs attention',
      'h3 ✅ acme-data: done',
    ]);
    const [stack, , summary] = tablesOf(md);
    expect(stack).toContainEqual(['KMS key', 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555']);
    expect(summary).toContainEqual([
      'acme-archive',
      '❌ needs attention',
      '❌ FAIL (29 Nov 2026, 10:00 UTC)',
      '-',
      'npm run migrate -- retry-failed --stack prod',
    ]);
    expect(tablesOf(md).flat()).toContainEqual([
      'job-failing-9',
      'S3UpdateObjectEncryption',
      '-',
      'Complete',
      '33',
      '7',
      '40',
      'AccessDenied 5, 500 InternalError 2',
      '10 checked, 1 disagree',
      's3://kmsmig-prod-reports-20261123/prod/job-reports/acme-archive/job-job-failing-9/',
    ]);
    const texts = textsOf(md);
    expect(texts).toContain('current versions: 43 examined, 4 not compliant (sse-s3 4), accepted exceptions: sse-c 2');
    expect(texts).toContain('not compliant, for example: docs/<script>alert(1)</script>.txt (v-bad-1, sse-s3)');
    expect(texts[texts.indexOf('Still open:') + 1]).toBe('job job-failing-9: 7 failed tasks');
  });

  it('shows who reads and writes a bucket in a table, the principal escaped', () => {
    const md = reportMarkdown(withAccess());
    expect(countsOf(md, ['html_inline', 'html_block', 'image', 'link_open'])).toEqual({
      html_inline: 0,
      html_block: 0,
      image: 0,
      link_open: 0,
    });
    const access = defined(
      tablesOf(md).find((t) => t[0]?.[0] === 'principal'),
      'the access table',
    );
    expect(access).toEqual([
      ['principal', 'as', 'via', 'key', 'accepted'],
      ['arn:aws:iam::123456789012:role/analytics', 'reader', 'bucket policy', 'granted', '-'],
      [HOSTILE_PRINCIPAL, 'writer', 'access point etl', 'NOT GRANTED', 'yes: loses access'],
    ]);
    expect(textsOf(md)).toContain('Who reads and writes it (checked 28 Nov 2026, 08:55 UTC):');
  });

  it('shows what the writes set off in two tables, the destination escaped', () => {
    const md = reportMarkdown(withDownstream());
    expect(countsOf(md, ['html_inline', 'html_block', 'image', 'link_open'])).toEqual({
      html_inline: 0,
      html_block: 0,
      image: 0,
      link_open: 0,
    });
    expect(tablesOf(md).find((t) => t[0]?.[0] === 'replication rule')).toEqual([
      ['replication rule', 'to', 'verdict'],
      ['to-dr', 'arn:aws:s3:::acme-dr', 'REFUSE'],
      ['logs', 'arn:aws:s3:::acme-logs', 'not-covered'],
    ]);
    expect(tablesOf(md).find((t) => t[0]?.[0] === 'event destination')).toEqual([
      ['event destination', 'as', 'events', 'accepted'],
      [HOSTILE_PRINCIPAL, 'lambda', 'at most 1,234', 'NO'],
      ['eventbridge', 'eventbridge', '2,000', 'yes'],
    ]);
    expect(textsOf(md)).toContain("What the migration's writes set off (checked 28 Nov 2026, 08:55 UTC):");
  });

  it('keeps every table row one line, whatever a failure code holds', () => {
    const state = troubledState();
    defined(state.jobs.tf, 'job tf').failureCodes = { 'a|b\nc': 1 };
    const md = reportMarkdown(migrationReport({ state, outputs: reportOutputs(), generatedAt }));
    const jobs = defined(
      tablesOf(md).find((t) => t[0]?.[0] === 'job'),
      'the jobs table',
    );
    expect(jobs[1]?.[7]).toBe('a|b\\nc 1');
  });

  describe.each(HOSTILE)('a key, id, code and reason holding %s', (_name, value) => {
    const shown = showControls(value);
    const reportOf = (v: string) =>
      reportMarkdown(migrationReport({ state: stateHolding(v), outputs: outputsHolding(v), rotation: v, generatedAt }));
    // A plain value that sorts on the same side of the finished bucket, so both documents order their buckets alike.
    const plain = value < DONE_BUCKET ? 'acme-archive' : 'zz-archive';
    const md = reportOf(value);

    it('makes exactly the markup the report makes with a plain value: no heading, list item, table row, link, image or HTML of its own', () => {
      expect(markupFor(value, md)).toEqual(markupFor(value, reportOf(plain)));
      expect(countsOf(md, ['html_inline', 'html_block', 'link_open', 'image'])).toEqual({
        html_inline: 0,
        html_block: 0,
        link_open: 0,
        image: 0,
      });
      expect(headingsOf(md).sort()).toEqual(
        [`h2 SSE-KMS migration report: stack ${shown}`, `h3 ❌ ${shown}: needs attention`, 'h3 ✅ acme-data: done'].sort(),
      );
    });

    it('shows the value as it is, bidi controls and line breaks as escapes', () => {
      expect(md).not.toMatch(BIDI_CONTROL);
      const texts = textsOf(md);
      expect(texts).toContain(`not compliant, for example: ${shown} (${shown}, ${shown})`);
      expect(texts).toContain(`accepted exceptions, for example: ${shown} (${shown}, ${shown})`);
      expect(texts).toContain(`last verification could not verify: ${shown}`);
      expect(texts).toContain(
        `expiration rule ${shown}: applied (added) ${shown}, noncurrent versions expire after 30 days under ${shown}`,
      );
      const rows = tablesOf(md).flat();
      expect(rows).toContainEqual([
        shown,
        '❌ needs attention',
        `⚠️ CANNOT VERIFY (${shown})`,
        '-',
        `npm run migrate -- retry-failed --stack ${shown}`,
      ]);
      expect(rows).toContainEqual([
        shown,
        shown,
        shown,
        'Complete',
        '33',
        '7',
        '40',
        `${shown} 5, 500 InternalError 2`,
        '10 checked, 1 disagree',
        `s3://${shown}/${shown}/job-${shown}/`,
      ]);
      expect(rows).toContainEqual(['KMS key', shown]);
      expect(rows).toContainEqual([shown, shown, shown, 'NOT GRANTED', '-']);
      expect(texts).toContain(`cannot tell who reads it: ${shown}`);
    });
  });
});

describe('the JSON report', () => {
  it('is the model itself, so a pipeline reads the same data the documents show', () => {
    const report = troubled();
    expect(JSON.parse(renderReport(report, 'json'))).toEqual(JSON.parse(JSON.stringify(report)));
    expect(JSON.parse(renderReport(report, 'json')).buckets[0]).toMatchObject({
      bucket: TROUBLED_BUCKET,
      stands: 'needs-human',
      after: { verdict: 'fail', compliance: { compliant: 47, nonCompliant: 4, exceptions: 2 } },
    });
  });
});

describe('stepSummaryMarkdown, parsed', () => {
  it('says the command, what its exit means, and each bucket in one line', () => {
    const md = stepSummaryMarkdown({
      command: 'verify',
      stack: 'prod',
      exitCode: 20,
      message: 'Verification failed',
      buckets: troubled().buckets,
    });
    expect(headingsOf(md)).toEqual(['h3 migrate verify --stack prod: exit 20 (needs a human: see below)']);
    expect(codeBlocksOf(md)).toEqual(['Verification failed\n']);
    expect(tablesOf(md)).toEqual([
      [
        ['bucket', 'stands', 'verification', 'open', 'next'],
        [
          'acme-archive',
          '❌ needs attention',
          '❌ FAIL',
          'job job-failing-9: 7 failed tasks (+5 more)',
          'npm run migrate -- retry-failed --stack prod',
        ],
        ['acme-data', '✅ done', '✅ PASS', '-', '-'],
      ],
    ]);
  });

  describe.each(HOSTILE)('a message, stack, bucket and reason holding %s', (_name, value) => {
    const summaryOf = (v: string) => {
      const buckets = migrationReport({ state: stateHolding(v), outputs: outputsHolding(v), generatedAt }).buckets;
      const message = `Verification of ${v} failed:\n\`\`\`\n## ✅ prod: PASS\n<img src=x onerror=alert(1)>\n    - ${v}`;
      return { md: stepSummaryMarkdown({ command: 'verify', stack: v, exitCode: 20, message, buckets }), message };
    };
    const plain = value < DONE_BUCKET ? 'acme-archive' : 'zz-archive';
    const { md, message } = summaryOf(value);
    const shown = showControls(value);

    it('makes exactly the markup a plain value makes: one heading, one code block, one table', () => {
      expect(markupFor(value, md)).toEqual(markupFor(value, summaryOf(plain).md));
      expect(headingsOf(md)).toEqual([`h3 migrate verify --stack ${shown}: exit 20 (needs a human: see below)`]);
      expect(countsOf(md, ['html_inline', 'html_block', 'link_open', 'image'])).toEqual({
        html_inline: 0,
        html_block: 0,
        link_open: 0,
        image: 0,
      });
    });

    it('shows the message whole in its block, and the values in their cells', () => {
      expect(md).not.toMatch(BIDI_CONTROL);
      expect(codeBlocksOf(md)).toEqual([`${showControls(message.trim(), { keepLineBreaks: true })}\n`]);
      expect(tablesOf(md)[0]).toContainEqual([
        shown,
        '❌ needs attention',
        '⚠️ CANNOT VERIFY',
        `job ${shown}: 7 failed tasks (+9 more)`,
        `npm run migrate -- retry-failed --stack ${shown}`,
      ]);
    });
  });
});

describe('the report of the demo state, at a glance', () => {
  const demoAt = new Date('2026-12-05T14:45:12.000Z');
  const demo = (state = demoState()): MigrationReport =>
    migrationReport({ state, outputs: demoOutputs(), generatedAt: demoAt, generatedBy: { toolVersion: '0.1.0', commit: COMMIT } });
  const bucketOf = (report: MigrationReport, bucket: string) => report.buckets.find((b) => b.bucket === bucket)!;

  it('shows before from the first plan, not from the rerun that counted only what was left', () => {
    const before = bucketOf(demo(), 'demo-app-assets').before!;
    expect(before).toMatchObject({
      which: 'first',
      madeAt: '2026-12-05T14:36:41.208Z',
      compliance: { compliant: 0, nonCompliant: 9_411, exceptions: 526 },
    });
    expect(before.caveat).toBeUndefined();
    const s = section(parse(reportHtml(demo())), 'demo-app-assets');
    expect(text(s.querySelector('p.plan'))).toMatch(
      /^First plan, made 5 Dec 2026, 14:36 UTC, inventory 2026-12-04-01-00, batch engine: 9,937 versions/,
    );
  });

  it('says so when a state of an older runner kept only a plan made after the work began', () => {
    const state = demoState();
    delete state.firstPlans;
    const before = bucketOf(demo(state), 'demo-app-assets').before!;
    expect(before).toMatchObject({ which: 'latest', madeAt: '2026-12-05T14:40:03.771Z' });
    expect(before.caveat).toContain('made after the work began (2026-12-05T14:37:02.412Z)');
    const s = section(parse(reportHtml(demo(state))), 'demo-app-assets');
    expect(text(s.querySelector('p.caveat'))).toMatch(/^Not the bucket before the work: the first plan was not recorded/);
    expect(reportMarkdown(demo(state))).toContain('**Not the bucket before the work:**');
  });

  it('separates the noncurrent versions awaiting the expiration, with the day they go, from current versions not compliant', () => {
    const b = bucketOf(demo(), 'demo-app-assets');
    expect(b.stands).toBe('done');
    expect(b.after!.compliance).toEqual({ compliant: 9_142, nonCompliant: 0, awaitingExpiration: 3_422, exceptions: 526 });
    // Applied 5 Dec 14:43 with NoncurrentDays 7: gone by the midnight after 12 Dec 14:43.
    expect(b.expiration!.expiresBy).toBe('2026-12-13T00:00:00.000Z');
    const s = section(parse(reportHtml(demo())), 'demo-app-assets');
    expect(text(s.querySelector('p.awaiting'))).toBe(
      '3,422 noncurrent versions not compliant (the old copies the migration replaced): the expiration rule removes them by 13 Dec 2026 (7 days after it was applied)',
    );
    const svg = s.querySelector('svg')!;
    expect(svg.querySelectorAll('rect.awaitingExpiration')).toHaveLength(1);
    expect(svg.querySelectorAll('rect.nonCompliant')).toHaveLength(1);
    expect(svg.getAttribute('aria-label')).toContain(
      'after 69.8% compliant (9,142), 0 not compliant, 3,422 noncurrent awaiting expiration (gone by 13 Dec 2026), 526 exceptions',
    );
    expect(textsOf(reportMarkdown(demo()))).toContain(
      '3,422 noncurrent versions not compliant (the old copies the migration replaced): the expiration rule removes them by 13 Dec 2026 (7 days after it was applied)',
    );
  });

  it('says the noncurrent versions stay while no expiration rule is applied', () => {
    const state = demoState();
    delete state.expiration;
    const s = section(parse(reportHtml(demo(state))), 'demo-app-assets');
    expect(text(s.querySelector('p.awaiting'))).toMatch(/: kept until the noncurrent-version expiration is applied \(migrate expire\)$/);
  });

  it('words the key check after the verification method', () => {
    const doc = parse(reportHtml(demo()));
    expect(text(section(doc, 'demo-app-assets').querySelector('ul.after-facts li'))).toBe(
      'KMS key checked with HeadObject on 1,000 of 4,737 current versions the inventory calls compliant (a random sample)',
    );
    const logs = section(doc, 'demo-logs');
    expect(text(logs.querySelector('ul.after-facts li'))).toBe(
      'KMS key read back with HeadObject on 4,000 of 4,000 compliant current versions the listing found',
    );
    expect(logs.querySelectorAll('p').map(text)).toContain(
      'Verified 5 Dec 2026, 14:41 UTC by listing every version (ListObjectVersions, then HeadObject): PASS',
    );
    expect(textsOf(reportMarkdown(demo()))).toContain(
      'KMS key read back with HeadObject on 4,000 of 4,000 compliant current versions the listing found',
    );
  });

  it('says the runner copied the versions of a bucket that uses ACLs, not Batch Operations', () => {
    const meaning = (report: MigrationReport) => bucketOf(report, 'demo-logs').before!.byAction.find((a) => a.action === 'copy')!.meaning;
    expect(meaning(demo())).toMatch(/by the runner, keeping each version's ACL/);
    expect(meaning(demo())).not.toContain('(Batch Operations)');
    // A plan recorded before aclCopies was: the outstanding work says the same.
    const older = demoState();
    const { aclCopies: _dropped, ...plan } = defined(older.firstPlans!['demo-logs'], 'the first plan of demo-logs');
    older.firstPlans!['demo-logs'] = plan;
    expect(meaning(demo(older))).toMatch(/by the runner/);
    expect(bucketOf(demo(), 'demo-app-assets').before!.byAction.find((a) => a.action === 'copy')!.meaning).toBe(
      'not encrypted: copied in place with SSE-KMS (Batch Operations)',
    );
  });

  it('says the runner did the work of the direct engine', () => {
    const state = demoState();
    state.firstPlans!['demo-data-lake'] = {
      ...defined(state.firstPlans!['demo-data-lake'], 'the first plan of demo-data-lake'),
      engine: 'direct',
    };
    const actions = bucketOf(demo(state), 'demo-data-lake').before!.byAction;
    expect(actions.map((a) => a.meaning)).toEqual([
      'SSE-S3 or SSE-KMS without a Bucket Key: re-wrapped in place by the runner (UpdateObjectEncryption)',
      'not encrypted: copied in place with SSE-KMS by the runner',
    ]);
  });

  it('adds the stack up: versions before and after, noncurrent awaiting expiration, jobs', () => {
    const report = demo();
    expect(report.totals).toEqual({
      buckets: 3,
      verified: 3,
      before: {
        versions: 19_937,
        bytes: expect.any(Number),
        compliance: { compliant: 0, nonCompliant: 19_411, awaitingExpiration: 0, exceptions: 526 },
      },
      after: { compliant: 19_142, nonCompliant: 0, awaitingExpiration: 6_622, exceptions: 526 },
      jobs: 8,
      tasksSucceeded: 17_401,
      tasksFailed: 0,
      expiresBy: '2026-12-13T00:00:00.000Z',
    });
    expect(rows(parse(reportHtml(report)).querySelector('table.totals'))).toEqual([
      [
        '3 (3 verified)',
        '19,937 (70.6 GiB)',
        '0 (0%)',
        '19,142 of 26,290 (72.8%)',
        '0',
        '6,622, gone by 13 Dec 2026',
        '526',
        '8: 17,401 tasks succeeded, 0 failed',
      ],
    ]);
    expect(tablesOf(reportMarkdown(report))[1]).toEqual([
      [
        'buckets',
        'versions before',
        'compliant before',
        'compliant after',
        'current not compliant',
        'noncurrent awaiting expiration',
        'exceptions',
        'Batch Operations jobs',
      ],
      [
        '3 (3 verified)',
        '19,937 (70.6 GiB)',
        '0 (0%)',
        '19,142 of 26,290 (72.8%)',
        '0',
        '6,622, gone by 13 Dec 2026',
        '526',
        '8: 17,401 tasks succeeded, 0 failed',
      ],
    ]);
  });

  it('says who ran each command, and the build that did and that wrote the report', () => {
    const doc = parse(reportHtml(demo()));
    expect(rows(doc.querySelector('table.runs'))).toEqual([
      ['run', '5 Dec 2026, 14:38 UTC', 'arn:aws:sts::123456789012:assumed-role/kms-migration-runner/demo', '0.1.0', '9136b4ebd939'],
      ['verify', '5 Dec 2026, 14:41 UTC', 'arn:aws:sts::123456789012:assumed-role/kms-migration-runner/demo', '0.1.0', '9136b4ebd939'],
      ['expire', '5 Dec 2026, 14:43 UTC', 'arn:aws:sts::123456789012:assumed-role/kms-migration-runner/demo', '0.1.0', '9136b4ebd939'],
    ]);
    expect(text(doc.querySelector('header p.meta'))).toMatch(
      /^Generated 5 Dec 2026, 14:45 UTC by s3-kms-migrate 0\.1\.0 \(commit 9136b4ebd939\)/,
    );
    const md = reportMarkdown(demo());
    expect(tablesOf(md).find((t) => t[0]?.[0] === 'command')?.[1]).toEqual([
      'run',
      '5 Dec 2026, 14:38 UTC',
      'arn:aws:sts::123456789012:assumed-role/kms-migration-runner/demo',
      '0.1.0',
      '9136b4ebd939',
    ]);
    const older = demoState();
    delete older.commands;
    expect(text(parse(reportHtml(demo(older))).querySelector('p.runs'))).toBe(
      'No command recorded who ran it (the state predates those records).',
    );
  });

  it('writes times for a reader, in UTC, with the ISO value in the time element', () => {
    const doc = parse(reportHtml(demo()));
    const generated = doc.querySelector('#generated-at time')!;
    expect([text(generated), generated.getAttribute('datetime'), generated.getAttribute('title')]).toEqual([
      '5 Dec 2026, 14:45 UTC',
      '2026-12-05T14:45:12.000Z',
      '2026-12-05T14:45:12.000Z',
    ]);
    expect(reportHtml(demo())).not.toMatch(/>\s*\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z\s*</);
    expect(textsOf(reportMarkdown(demo()))[1]).toMatch(/^✅ done, generated 5 Dec 2026, 14:45 UTC \(2026-12-05T14:45:12\.000Z\)/);
  });

  it.each([
    ['2026-12-05T14:41:09.997Z', '5 Dec 2026, 14:41 UTC', '5 Dec 2026'],
    ['2027-01-01T00:00:00Z', '1 Jan 2027, 00:00 UTC', '1 Jan 2027'],
    ['2026-12-05T23:30:00+02:00', '5 Dec 2026, 21:30 UTC', '5 Dec 2026'],
    ['2026-11-28-01-00', undefined, undefined],
    ['&amp; &lt; &#42;', undefined, undefined],
  ])('reads %s as a time only when it is an ISO one', (value, time, day) => {
    expect([humanTime(value), humanDay(value)]).toEqual([time, day]);
  });

  it('keeps job ids and completion report folders short, the whole value in the title', () => {
    const s = section(parse(reportHtml(demo())), 'demo-app-assets');
    const first = s.querySelector('table.jobs tbody tr')!.querySelectorAll('td');
    expect([text(defined(first[0], 'a first cell')), first[0]?.querySelector('span')?.getAttribute('title')]).toEqual([
      '1f6f1a3e…6f81',
      '1f6f1a3e-9c1d-4f0e-8a39-5b7c2d4e6f81',
    ]);
    expect([text(defined(first[9], 'a tenth cell')), first[9]?.querySelector('span')?.getAttribute('title')]).toEqual([
      '…/job-1f6f1a3e…e6f81/',
      's3://kmsmig-demo-reports-20261205/demo/job-reports/demo-app-assets/job-1f6f1a3e-9c1d-4f0e-8a39-5b7c2d4e6f81/',
    ]);
  });

  it('carries the totals, the runs, the builds and the expiration day in the JSON', () => {
    const json = JSON.parse(renderReport(demo(), 'json'));
    expect(json).toMatchObject({
      generatedBy: { toolVersion: '0.1.0', commit: COMMIT },
      totals: { after: { awaitingExpiration: 6_622 } },
      runs: [{ command: 'run' }, { command: 'verify' }, { command: 'expire' }],
    });
    expect(json.buckets[0]).toMatchObject({
      bucket: 'demo-app-assets',
      expiration: { expiresBy: '2026-12-13T00:00:00.000Z' },
      after: { keyCheckWords: expect.stringContaining('inventory') },
    });
  });
});
