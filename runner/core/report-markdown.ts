// The migration report as GitHub-flavoured markdown, sized for a pull-request comment, and the short
// job summary run, verify and expire append to GITHUB_STEP_SUMMARY. Pure.
import { formatBytes } from '../output';
import type { BucketReport, ComplianceSection, MigrationReport } from './report';
import { JOB_COLUMNS, STANDS_WORDS, failureCodeList, jobCells } from './report';

const n = (value: number): string => value.toLocaleString('en-US');

/** A table cell: pipes and line breaks would end the cell or the row. */
function cell(value: string | number): string {
  return typeof value === 'number' ? n(value) : value.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function mdTable(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string[] {
  return [`| ${header.join(' | ')} |`, `| ${header.map((_, i) => (rows.length > 0 && rows.every((r) => typeof r[i] === 'number') ? '---:' : '---')).join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

const codes = failureCodeList;

const VERDICT_MARK: Readonly<Record<string, string>> = { pass: '✅ PASS', fail: '❌ FAIL', 'cannot verify': '⚠️ CANNOT VERIFY' };
const STANDS_MARK: Readonly<Record<string, string>> = { done: '✅', running: '⏳', 'needs-human': '❌' };

/** `reason 3, other 1`, or `none`. */
const reasons = (byReason: Readonly<Record<string, number>>): string => codes(byReason).replace(/^-$/, 'none');

function complianceLine(label: string, c: ComplianceSection): string {
  return `- ${label}: ${n(c.versions)} examined, ${n(c.nonCompliant)} not compliant (${reasons(c.byReason)}), accepted exceptions: ${reasons(c.accepted)}`;
}

function bucketSection(b: BucketReport): string[] {
  const lines = [`### ${STANDS_MARK[b.stands]} ${b.bucket}: ${STANDS_WORDS[b.stands]}`, ''];
  if (b.before) {
    const p = b.before;
    lines.push(`**Before** (plan of ${p.madeAt}, inventory ${p.inventoryDate}, ${p.engine} engine): ${n(p.total.versions)} versions, ${formatBytes(p.total.bytes)}; ${n(p.compliance.compliant)} already compliant, ${n(p.compliance.nonCompliant)} to migrate, ${n(p.compliance.exceptions)} left alone`, '');
    lines.push(...mdTable(['encryption state / action', 'versions', 'bytes'], p.byAction.map((a) => [`\`${a.action}\`: ${a.meaning}`, a.versions, formatBytes(a.bytes)])), '');
    lines.push(...mdTable(['storage class', 'versions', 'bytes'], p.byStorageClass.map((c) => [c.storageClass, c.versions, formatBytes(c.bytes)])), '');
  } else {
    lines.push('**Before:** no plan recorded (the state predates plan records, or nothing was planned yet).', '');
  }
  if (b.after) {
    const v = b.after;
    lines.push(`**After:** verified ${v.checkedAt} by ${v.method}${v.inventoryDate ? ` (inventory ${v.inventoryDate})` : ''}: **${VERDICT_MARK[v.verdict]}**`);
    lines.push(complianceLine('current versions', v.current), complianceLine('noncurrent versions', v.noncurrent));
    lines.push(`- KMS key checked with HeadObject on ${n(v.keyCheck.checked)} of ${n(v.keyCheck.of)} versions the inventory calls compliant`);
    for (const c of v.cannotVerify) lines.push(`- cannot verify: ${c}`);
    if (v.newVersions) lines.push(`- versions written since ${v.newVersions.since}: ${n(v.newVersions.created)} (copies made: ${n(v.newVersions.copies)})${v.newVersions.allowed ? ', allowed' : ''}`);
    const samples = [...v.current.sample, ...v.noncurrent.sample].slice(0, 5);
    if (samples.length > 0) lines.push(`- not compliant, for example: ${samples.map((s) => `\`${s.key}\` (${s.versionId}, ${s.reason})`).join('; ')}`);
    const accepted = [...v.current.acceptedSample, ...v.noncurrent.acceptedSample].slice(0, 5);
    if (accepted.length > 0) lines.push(`- accepted exceptions, for example: ${accepted.map((s) => `\`${s.key}\` (${s.versionId}, ${s.reason})`).join('; ')}`);
    lines.push('');
  } else {
    lines.push('**After:** not verified yet.', '');
  }
  if (b.jobs.length > 0) {
    lines.push(
      ...mdTable(
        [...JOB_COLUMNS],
        b.jobs.map((j) => jobCells(j, (url) => `\`${url}\``)),
      ),
      '',
    );
  }
  for (const p of b.passes) {
    const outcomes = Object.entries(p.outcomes).map(([k, c]) => `${k} ${n(c)}`).join(', ') || 'nothing yet';
    lines.push(`- runner's ${p.pass} pass (${p.source}), ${p.finishedAt ? `finished ${p.finishedAt}` : 'stopped, resumes where it was'}: ${outcomes}; ${n(p.readBack)} read back; ${n(p.failed)} failed${p.failed ? ` (${codes(p.failureCodes)})` : ''}`);
  }
  const archived = Object.entries(b.archived);
  if (archived.length > 0) lines.push(`- archived versions: ${archived.map(([stage, c]) => `${stage} ${n(c)}`).join(', ')}`);
  const e = b.expiration;
  lines.push(
    e
      ? `- expiration rule \`${e.ruleId}\`: ${e.applied ? 'applied' : 'undone'} (${e.action}) ${e.at}, noncurrent versions expire after ${e.noncurrentDays} days${e.newerNoncurrentVersions ? `, keeping ${e.newerNoncurrentVersions}` : ''}${e.prefix ? ` under \`${e.prefix}\`` : ''}${e.forced ? ', **forced without a passed verification**' : ''}`
      : '- expiration rule: not applied',
  );
  if (b.reasons.length > 0) {
    lines.push('', '**Still open:**', ...b.reasons.map((r) => `- ${r}`));
    if (b.next) lines.push('', `Next: \`${b.next}\``);
  }
  lines.push('');
  return lines;
}

export function reportMarkdown(report: MigrationReport): string {
  const s = report.stack;
  const lines = [
    `## ${report.title}`,
    '',
    `${STANDS_MARK[report.stands]} **${STANDS_WORDS[report.stands]}**, generated ${report.generatedAt} from the state \`${s.state}\` (updated ${s.stateUpdatedAt}).`,
    '',
    ...mdTable(['', ''], [
      ['KMS key', `\`${s.keyArn}\``],
      ['alias', `\`${s.keyAlias}\``],
      ['rotation', s.rotation],
      ['Region', s.region],
      ['account', s.account],
    ]),
    '',
    ...mdTable(['bucket', 'stands', 'verification', 'next'], report.buckets.map((b) => [b.bucket, `${STANDS_MARK[b.stands]} ${STANDS_WORDS[b.stands]}`, b.after ? `${VERDICT_MARK[b.after.verdict]} (${b.after.checkedAt})` : 'not verified', b.next ? `\`${b.next}\`` : '-'])),
    '',
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
  const lines = [`### migrate ${s.command} --stack ${s.stack}: exit ${s.exitCode} (${EXIT_MEANINGS[s.exitCode] ?? 'unknown exit code'})`, ''];
  if (s.message) lines.push('```', s.message.trim(), '```', '');
  if (s.buckets.length > 0) {
    lines.push(
      ...mdTable(['bucket', 'stands', 'verification', 'open', 'next'], s.buckets.map((b) => [
        b.bucket,
        `${STANDS_MARK[b.stands]} ${STANDS_WORDS[b.stands]}`,
        b.after ? VERDICT_MARK[b.after.verdict] : 'not verified',
        b.reasons.length > 0 ? `${b.reasons[0]}${b.reasons.length > 1 ? ` (+${b.reasons.length - 1} more)` : ''}` : '-',
        b.next ? `\`${b.next}\`` : '-',
      ])),
      '',
    );
  }
  return `${lines.join('\n')}\n`;
}
