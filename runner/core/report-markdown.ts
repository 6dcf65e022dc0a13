// The migration report as GitHub-flavoured markdown, sized for a pull-request comment, and the short
// job summary run, verify and expire append to GITHUB_STEP_SUMMARY. Pure.
import { formatBytes } from '../output';
import { cellCode, code, codeBlock, table, text } from './markdown';
import type { BucketReport, ComplianceSection, MigrationReport, VerificationSection } from './report';
import type { BucketStatus } from './status';
import {
  ACCESS_COLUMNS,
  EVENT_COLUMNS,
  JOB_COLUMNS,
  REPLICATION_COLUMNS,
  STANDS_WORDS,
  accessCells,
  awaitingWords,
  eventCells,
  failureCodeList,
  humanDay,
  humanTime,
  jobCells,
  replicationCells,
  shortCommit,
  splitTotal,
} from './report';

const n = (value: number): string => value.toLocaleString('en-US');

/** A time from data in the reader's words (UTC); anything that is not an ISO time, as text. */
const when = (iso: string): string => text(humanTime(iso) ?? iso);
/** The same with the ISO value beside, where there is room for it. */
const whenIso = (iso: string): string => (humanTime(iso) ? `${humanTime(iso)} (${text(iso)})` : text(iso));
const pct = (part: number, whole: number): string =>
  whole === 0 ? '0%' : `${((100 * part) / whole).toFixed(part === whole || part === 0 ? 0 : 1)}%`;

const codes = failureCodeList;

const VERDICT_MARK: Readonly<Record<VerificationSection['verdict'], string>> = {
  pass: '✅ PASS',
  fail: '❌ FAIL',
  'cannot verify': '⚠️ CANNOT VERIFY',
};
const STANDS_MARK: Readonly<Record<BucketStatus['stands'], string>> = { done: '✅', running: '⏳', 'needs-human': '❌' };

/** `reason 3, other 1`, or `none`, as text: the reasons are data. */
const reasons = (byReason: Readonly<Record<string, number>>): string => text(codes(byReason).replace(/^-$/, 'none'));

/** The job table's column holding the completion report's s3:// URL, shown as code. */
const COMPLETION_REPORT = JOB_COLUMNS.indexOf('completion report');

/** Outcomes or stages with their counts: `copied 1, failed 2`. */
const counted = (byName: Readonly<Record<string, number>>): string =>
  Object.entries(byName)
    .map(([name, c]) => `${text(name)} ${n(c)}`)
    .join(', ');

const sampleLine = (refs: readonly { key: string; versionId: string; reason: string }[]): string =>
  refs.map((s) => `${code(s.key)} (${text(s.versionId)}, ${text(s.reason)})`).join('; ');

function complianceLine(label: string, c: ComplianceSection): string {
  return `- ${label}: ${n(c.versions)} examined, ${n(c.nonCompliant)} not compliant (${reasons(c.byReason)}), accepted exceptions: ${reasons(c.accepted)}`;
}

function bucketSection(b: BucketReport): string[] {
  const lines = [`### ${STANDS_MARK[b.stands]} ${text(b.bucket)}: ${STANDS_WORDS[b.stands]}`, ''];
  if (b.before) {
    const p = b.before;
    lines.push(
      `**Before** (${p.which === 'first' ? 'first plan' : 'latest plan, the first was not recorded'}, made ${when(p.madeAt)}, inventory ${text(p.inventoryDate)}, ${text(p.engine)} engine): ${n(p.total.versions)} versions, ${formatBytes(p.total.bytes)}; ${n(p.compliance.compliant)} already compliant, ${n(p.compliance.nonCompliant)} to migrate, ${n(p.compliance.exceptions)} left alone`,
      '',
    );
    if (p.caveat) lines.push(`**Not the bucket before the work:** ${text(p.caveat)}`, '');
    lines.push(
      ...table(
        ['encryption state / action', 'versions', 'bytes'],
        p.byAction.map((a) => [`${cellCode(a.action)}: ${text(a.meaning)}`, a.versions, formatBytes(a.bytes)]),
      ),
      '',
    );
    lines.push(
      ...table(
        ['storage class', 'versions', 'bytes'],
        p.byStorageClass.map((c) => [text(c.storageClass), c.versions, formatBytes(c.bytes)]),
      ),
      '',
    );
    if (p.objectLock.length > 0) {
      lines.push('**Under Object Lock** (UpdateObjectEncryption refuses these; the runner never removes a lock):', '');
      lines.push(
        ...table(
          ['class', 'versions', 'retain until (earliest)', 'retain until (latest)', 'legal holds'],
          p.objectLock.map((l) => [
            `${cellCode(l.action)}: ${text(l.meaning)}`,
            l.versions,
            text(l.retainUntilEarliest ?? '-'),
            text(l.retainUntilLatest ?? '-'),
            l.legalHolds,
          ]),
        ),
        '',
      );
    }
  } else {
    lines.push('**Before:** no plan recorded (the state predates plan records, or nothing was planned yet).', '');
  }
  if (b.after) {
    const v = b.after;
    const method =
      v.method === 'listing'
        ? 'by listing every version (ListObjectVersions, then HeadObject)'
        : `from the inventory${v.inventoryDate ? ` of ${text(v.inventoryDate)}` : ''} (Athena)`;
    lines.push(`**After:** verified ${when(v.checkedAt)} ${method}: **${VERDICT_MARK[v.verdict]}**`);
    lines.push(complianceLine('current versions', v.current), complianceLine('noncurrent versions', v.noncurrent));
    if (v.compliance.awaitingExpiration > 0) lines.push(`- ${text(awaitingWords(v.compliance.awaitingExpiration, b.expiration))}`);
    lines.push(`- ${text(v.keyCheckWords)}`);
    for (const c of v.cannotVerify) lines.push(`- cannot verify: ${text(c)}`);
    if (v.newVersions)
      lines.push(
        `- versions written since ${when(v.newVersions.since)}: ${n(v.newVersions.created)} (copies made: ${n(v.newVersions.copies)})${v.newVersions.allowed ? ', allowed' : ''}`,
      );
    const samples = [...v.current.sample, ...v.noncurrent.sample].slice(0, 5);
    if (samples.length > 0) lines.push(`- not compliant, for example: ${sampleLine(samples)}`);
    const accepted = [...v.current.acceptedSample, ...v.noncurrent.acceptedSample].slice(0, 5);
    if (accepted.length > 0) lines.push(`- accepted exceptions, for example: ${sampleLine(accepted)}`);
    lines.push('');
  } else {
    lines.push('**After:** not verified yet.', '');
  }
  if (b.access) {
    const a = b.access;
    lines.push(`**Who reads and writes it** (checked ${when(a.checkedAt)}):`, '');
    if (a.checks.length > 0)
      lines.push(
        ...table(
          [...ACCESS_COLUMNS],
          a.checks.map((c) => accessCells(c, text)),
        ),
        '',
      );
    else lines.push('- no principal or service is granted object access by the bucket policy or an access point policy');
    for (const c of a.cannotTell) lines.push(`- cannot tell who reads it: ${text(c)}`);
    if (a.checks.length === 0 || a.cannotTell.length > 0) lines.push('');
  }
  if (b.downstream) {
    const ds = b.downstream;
    lines.push(`**What the migration's writes set off** (checked ${when(ds.checkedAt)}):`, '');
    if (ds.replication.length > 0)
      lines.push(
        ...table(
          [...REPLICATION_COLUMNS],
          ds.replication.map((r) => replicationCells(r, text)),
        ),
        '',
      );
    else lines.push('- replication: no rule');
    if (ds.events.length > 0)
      lines.push(
        ...table(
          [...EVENT_COLUMNS],
          ds.events.map((e) => eventCells(e, text)),
        ),
        '',
      );
    else lines.push("- event notifications: no destination receives the migration's events");
    for (const c of ds.cannotTell) lines.push(`- cannot tell: ${text(c)}`);
    for (const c of ds.unsupported ?? []) lines.push(`- not checked: ${text(c)}`);
    lines.push('');
  }
  if (b.jobs.length > 0) {
    const jobRows = b.jobs.map((j) =>
      jobCells(j, cellCode).map((c, i) => (typeof c === 'number' || i === COMPLETION_REPORT ? c : text(c))),
    );
    lines.push(...table([...JOB_COLUMNS], jobRows), '');
  }
  for (const p of b.passes) {
    const outcomes = counted(p.outcomes) || 'nothing yet';
    lines.push(
      `- runner's ${text(p.pass)} pass (${text(p.source)}), ${p.finishedAt ? `finished ${when(p.finishedAt)}` : 'stopped, resumes where it was'}: ${outcomes}; ${n(p.readBack)} read back; ${p.newerWritesRestored ? `${n(p.newerWritesRestored)} writes made during a copy made current again; ` : ''}${n(p.failed)} failed${p.failed ? ` (${text(codes(p.failureCodes))})` : ''}`,
    );
  }
  if (Object.keys(b.archived).length > 0) lines.push(`- archived versions: ${counted(b.archived)}`);
  const e = b.expiration;
  lines.push(
    e
      ? `- expiration rule ${code(e.ruleId)}: ${e.applied ? 'applied' : 'undone'} (${text(e.action)}) ${when(e.at)}, noncurrent versions expire after ${n(e.noncurrentDays)} days${e.newerNoncurrentVersions ? `, keeping ${n(e.newerNoncurrentVersions)}` : ''}${e.prefix ? ` under ${code(e.prefix)}` : ''}${e.expiresBy ? `; those noncurrent now are gone by ${humanDay(e.expiresBy)}` : ''}${e.forced ? ', **forced without a passed verification**' : ''}`
      : '- expiration rule: not applied',
  );
  if (b.reasons.length > 0) {
    lines.push('', '**Still open:**', ...b.reasons.map((r) => `- ${text(r)}`));
    if (b.next) lines.push('', `Next: ${code(b.next)}`);
  }
  lines.push('');
  return lines;
}

export function reportMarkdown(report: MigrationReport): string {
  const s = report.stack;
  const t = report.totals;
  const commit = (c: string) => text(shortCommit(c));
  const lines = [
    `## ${text(report.title)}`,
    '',
    `${STANDS_MARK[report.stands]} **${STANDS_WORDS[report.stands]}**, generated ${whenIso(report.generatedAt)} by ${text(`s3-kms-migrate ${report.generatedBy.toolVersion}`)} (commit ${commit(report.generatedBy.commit)}) from the state ${code(s.state)} (updated ${whenIso(s.stateUpdatedAt)}).`,
    '',
    ...table(
      ['', ''],
      [
        ['KMS key', cellCode(s.keyArn)],
        ['alias', cellCode(s.keyAlias)],
        ['rotation', text(s.rotation)],
        ['Region', text(s.region)],
        ['account', text(s.account)],
      ],
    ),
    '',
    '**Stack totals:**',
    '',
    ...table(
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
        [
          `${n(t.buckets)} (${n(t.verified)} verified)`,
          `${n(t.before.versions)} (${formatBytes(t.before.bytes)})`,
          `${n(t.before.compliance.compliant)} (${pct(t.before.compliance.compliant, splitTotal(t.before.compliance))})`,
          `${n(t.after.compliant)} of ${n(splitTotal(t.after))} (${pct(t.after.compliant, splitTotal(t.after))})`,
          n(t.after.nonCompliant),
          `${n(t.after.awaitingExpiration)}${t.expiresBy ? `, gone by ${humanDay(t.expiresBy)}` : ''}`,
          n(t.after.exceptions),
          `${n(t.jobs)}: ${n(t.tasksSucceeded)} tasks succeeded, ${n(t.tasksFailed)} failed`,
        ],
      ],
    ),
    '',
    ...table(
      ['bucket', 'stands', 'verification', 'noncurrent awaiting expiration', 'next'],
      report.buckets.map((b) => [
        text(b.bucket),
        `${STANDS_MARK[b.stands]} ${STANDS_WORDS[b.stands]}`,
        b.after ? `${VERDICT_MARK[b.after.verdict]} (${when(b.after.checkedAt)})` : 'not verified',
        b.after && b.after.compliance.awaitingExpiration > 0
          ? `${n(b.after.compliance.awaitingExpiration)}${b.expiration?.expiresBy ? `, gone by ${humanDay(b.expiration.expiresBy)}` : ', no rule applied'}`
          : '-',
        b.next ? cellCode(b.next) : '-',
      ]),
    ),
    '',
    ...(report.runs.length > 0
      ? [
          '**Who ran it:**',
          '',
          ...table(
            ['command', 'last run', 'by', 'tool version', 'commit'],
            report.runs.map((r) => [text(r.command), when(r.at), cellCode(r.principal), text(r.toolVersion), commit(r.commit)]),
          ),
          '',
        ]
      : ['Who ran it: not recorded (the state predates those records).', '']),
    ...report.buckets.flatMap(bucketSection),
  ];
  return `${lines.join('\n').trimEnd()}\n`;
}

/** What an exit code means to someone reading a pipeline's summary. */
export const EXIT_MEANINGS: Readonly<Record<number, string>> = {
  0: 'done',
  1: 'unexpected error',
  2: 'bad arguments',
  3: 'stack outputs missing or invalid',
  4: 'preflight failed: nothing was written',
  10: 'work still running: run again later',
  20: 'needs a human: see below',
  30: 'another runner holds the lock',
};

export interface StepSummaryInput {
  readonly command: string;
  readonly stack: string;
  readonly exitCode: number;
  /** The error's message when the command ended with one. */
  readonly message?: string;
  /** One line per bucket, when the state could be read. */
  readonly buckets: readonly Pick<BucketReport, 'bucket' | 'stands' | 'reasons' | 'next' | 'after'>[];
}

/** A few lines for the pipeline's job summary: what ran, what its exit means, and each bucket in one line. */
export function stepSummaryMarkdown(s: StepSummaryInput): string {
  const lines = [
    `### migrate ${text(s.command)} --stack ${text(s.stack)}: exit ${s.exitCode} (${EXIT_MEANINGS[s.exitCode] ?? 'unknown exit code'})`,
    '',
  ];
  if (s.message) lines.push(...codeBlock(s.message.trim()), '');
  if (s.buckets.length > 0) {
    lines.push(
      ...table(
        ['bucket', 'stands', 'verification', 'open', 'next'],
        s.buckets.map(({ reasons: [reason, ...more], ...b }) => [
          text(b.bucket),
          `${STANDS_MARK[b.stands]} ${STANDS_WORDS[b.stands]}`,
          b.after ? VERDICT_MARK[b.after.verdict] : 'not verified',
          reason !== undefined ? `${text(reason)}${more.length > 0 ? ` (+${more.length} more)` : ''}` : '-',
          b.next ? cellCode(b.next) : '-',
        ]),
      ),
      '',
    );
  }
  return `${lines.join('\n')}\n`;
}
