// The migration report as one self-contained HTML file: inline CSS (screen and print) and an inline SVG
// chart per bucket; no script, font or stylesheet is fetched, so it opens offline and archives as is. Pure.
import { formatBytes } from '../output';
import { showControls } from './control-characters';
import type { BucketReport, ComplianceSection, ComplianceSplit, MigrationReport } from './report';
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

/** Escapes text for element content and quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const e = escapeHtml;

/**
 * A value from data as element content: its control characters shown as escapes (a U+202E override
 * cannot reverse what follows), and the whole isolated in <bdi>, so right-to-left letters in it do
 * not reorder the words around it.
 */
const d = (value: string): string => `<bdi>${e(showControls(value))}</bdi>`;
/** A value from data in a quoted attribute or an SVG title, where no element can isolate it. */
const attr = (value: string): string => e(showControls(value));
const n = (value: number): string => value.toLocaleString('en-US');

/** A time from data: the reader's words in UTC, the ISO value in the datetime and the title; anything else as it is. */
const when = (iso: string): string => {
  const human = humanTime(iso);
  return human ? `<time datetime="${attr(iso)}" title="${attr(iso)}">${e(human)}</time>` : d(iso);
};

/**
 * A long value from data (a job id, an s3:// URL) cut in the middle so a table cell stays a line or
 * two; the whole value stays in the title, to hover over or copy.
 */
const compactText = (value: string, head: number, tail: number): string => {
  const shown = showControls(value);
  return shown.length <= head + tail + 1 ? d(value) : `<bdi>${e(shown.slice(0, head))}…${e(shown.slice(-tail))}</bdi>`;
};
const compact = (value: string, head: number, tail: number): string =>
  showControls(value).length <= head + tail + 1
    ? `<span class="mono">${d(value)}</span>`
    : `<span class="mono compact" title="${attr(value)}">${compactText(value, head, tail)}</span>`;

/** Colours chosen to differ in lightness too, so the chart survives a black-and-white print. */
const COLOURS = { compliant: '#1a7f37', nonCompliant: '#cf222e', awaitingExpiration: '#8c959f', exceptions: '#bf8700' } as const;
const PART_WORDS: Readonly<Record<keyof typeof COLOURS, string>> = {
  compliant: 'compliant',
  nonCompliant: 'not compliant',
  awaitingExpiration: 'noncurrent, awaiting expiration',
  exceptions: 'exceptions / left alone',
};

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1f2328; margin: 0 auto; max-width: 1100px; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 32px 0 8px; padding-top: 12px; border-top: 2px solid #d0d7de; }
h3 { font-size: 15px; margin: 18px 0 6px; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; overflow-wrap: anywhere; }
.compact { font-size: 12px; white-space: nowrap; cursor: help; }
time { white-space: nowrap; }
/* A value from data may be one long word (a key, an ARN): it wraps rather than widen the page. */
h1, h2, h3, p, li, dd, td bdi { overflow-wrap: anywhere; }
table.jobs, table.passes, table.runs { font-size: 13px; }
table.totals td.num { font-size: 15px; font-weight: 600; }
.awaiting { border-left: 4px solid #8c959f; background: #f6f8fa; padding: 6px 12px; margin: 8px 0; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; }
th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th.num { white-space: normal; }
.meta { color: #59636e; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-weight: 600; font-size: 13px; border: 1px solid currentColor; }
.done, .pass { color: #1a7f37; }
.running { color: #9a6700; }
.needs-human, .fail, .cannot-verify { color: #cf222e; }
.open { border-left: 4px solid #cf222e; background: #fff8f8; padding: 8px 12px; margin: 10px 0; }
.open.running { border-color: #bf8700; background: #fffbeb; }
/* The box's border carries the colour; its list stays body text, so it reads as well in print. */
.open.running, .open.needs-human { color: inherit; }
.open.needs-human strong { color: #cf222e; }
.open.running strong { color: #9a6700; }
.chart { margin: 6px 0 10px; max-width: 100%; height: auto; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
ul { margin: 4px 0 8px; padding-left: 22px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  h2 { break-before: auto; break-after: avoid; }
  section.bucket { break-inside: avoid-page; }
  table, .chart { break-inside: avoid; }
  th { background: #eee !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  svg { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .open { background: none; }
  @page { margin: 16mm; }
}
`;

function tableHtml(
  className: string,
  header: readonly string[],
  rows: readonly (readonly (string | number)[])[],
  raw: readonly number[] = [],
): string {
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number'));
  const head = header.map((h, i) => `<th${numeric[i] ? ' class="num"' : ''} scope="col">${e(h)}</th>`).join('');
  const body = rows
    .map(
      (r) =>
        `<tr>${r.map((c, i) => `<td${numeric[i] ? ' class="num"' : ''}>${typeof c === 'number' ? n(c) : raw.includes(i) ? c : d(c)}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<table class="${className}"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

const codes = failureCodeList;

const pct = (part: number, whole: number): string =>
  whole === 0 ? '0%' : `${((100 * part) / whole).toFixed(part === whole || part === 0 ? 0 : 1)}%`;

/**
 * Two stacked bars, before and after, each split into compliant, not compliant and exceptions; every
 * bar is labelled in text too, so the chart reads without colour and with a screen reader.
 */
export function complianceChart(
  bucket: string,
  before: ComplianceSplit | undefined,
  after: ComplianceSplit | undefined,
  expiresBy?: string,
): string {
  const width = 1000;
  const labelWidth = 70;
  const barWidth = width - labelWidth - 10;
  const rows: [string, ComplianceSplit | undefined][] = [
    ['before', before],
    ['after', after],
  ];
  const describe = (split: ComplianceSplit | undefined) => {
    if (!split) return 'no data';
    const whole = splitTotal(split);
    const awaiting =
      split.awaitingExpiration > 0
        ? `, ${n(split.awaitingExpiration)} noncurrent awaiting expiration${expiresBy ? ` (gone by ${humanDay(expiresBy)})` : ' (no rule applied)'}`
        : '';
    return `${pct(split.compliant, whole)} compliant (${n(split.compliant)}), ${n(split.nonCompliant)} not compliant${awaiting}, ${n(split.exceptions)} exceptions`;
  };
  const bars = rows
    .map(([label, split], i) => {
      const y = 8 + i * 46;
      const parts: string[] = [`<text x="0" y="${y + 17}" font-size="13" font-weight="600">${label}</text>`];
      const whole = split ? splitTotal(split) : 0;
      if (!split || whole === 0) {
        parts.push(`<rect x="${labelWidth}" y="${y}" width="${barWidth}" height="24" fill="#f6f8fa" stroke="#d0d7de"/>`);
        parts.push(
          `<text x="${labelWidth + 8}" y="${y + 17}" font-size="12" fill="#59636e">${split ? 'no versions examined' : label === 'before' ? 'no plan recorded' : 'not verified yet'}</text>`,
        );
      } else {
        let x = labelWidth;
        for (const key of ['compliant', 'nonCompliant', 'awaitingExpiration', 'exceptions'] as const) {
          const value = split[key];
          if (value === 0) continue;
          const w = Math.max(2, (barWidth * value) / whole);
          parts.push(
            `<rect class="${key}" x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="24" fill="${COLOURS[key]}"><title>${e(`${label}: ${n(value)} ${PART_WORDS[key]}`)}</title></rect>`,
          );
          x += w;
        }
      }
      parts.push(`<text x="${labelWidth}" y="${y + 39}" font-size="12" fill="#1f2328">${e(describe(split))}</text>`);
      return parts.join('');
    })
    .join('');
  const LEGEND_X = { compliant: 0, nonCompliant: 110, awaitingExpiration: 240, exceptions: 470 } as const;
  const legend = (Object.entries(COLOURS) as [keyof typeof COLOURS, string][])
    .map(
      ([key, colour]) =>
        `<rect x="${labelWidth + LEGEND_X[key]}" y="104" width="12" height="12" fill="${colour}"/><text x="${labelWidth + 18 + LEGEND_X[key]}" y="114" font-size="12">${PART_WORDS[key]}</text>`,
    )
    .join('');
  const label = attr(`Compliance of ${bucket}: before ${describe(before)}; after ${describe(after)}`);
  return `<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${label}" width="${width}" height="122" viewBox="0 0 ${width} 122" font-family="system-ui, sans-serif"><title>${label}</title>${bars}${legend}</svg>`;
}

function complianceRows(label: string, c: ComplianceSection): (string | number)[] {
  return [label, c.versions, c.nonCompliant, codes(c.byReason), codes(c.accepted)];
}

function sampleList(title: string, refs: readonly { key: string; versionId: string; reason: string }[]): string {
  if (refs.length === 0) return '';
  return `<p>${e(title)}</p><ul class="samples">${refs.map((r) => `<li><code>${d(r.key)}</code> version <code>${d(r.versionId)}</code>: ${d(r.reason)}</li>`).join('')}</ul>`;
}

function bucketHtml(b: BucketReport): string {
  const parts = [
    `<section class="bucket" id="bucket-${attr(b.bucket)}" data-bucket="${attr(b.bucket)}">`,
    `<h2>${d(b.bucket)} <span class="badge ${b.stands}">${e(STANDS_WORDS[b.stands])}</span></h2>`,
  ];
  parts.push(complianceChart(b.bucket, b.before?.compliance, b.after?.compliance, b.expiration?.expiresBy));
  if ((b.after?.compliance.awaitingExpiration ?? 0) > 0)
    parts.push(`<p class="awaiting">${e(awaitingWords(b.after!.compliance.awaitingExpiration, b.expiration))}</p>`);
  if (b.reasons.length > 0) {
    parts.push(
      `<div class="open ${b.stands}"><strong>Still open</strong><ul>${b.reasons.map((r) => `<li>${d(r)}</li>`).join('')}</ul>${b.next ? `<p>Next: <code class="next">${d(b.next)}</code></p>` : ''}</div>`,
    );
  }

  parts.push('<h3>Before: what the plan found</h3>');
  if (b.before) {
    const p = b.before;
    parts.push(
      `<p class="meta plan">${p.which === 'first' ? 'First plan' : 'Latest plan (the first was not recorded)'}, made ${when(p.madeAt)}, inventory ${d(p.inventoryDate)}, ${d(p.engine)} engine: ${n(p.total.versions)} versions, ${e(formatBytes(p.total.bytes))}; ${n(p.compliance.compliant)} already compliant, ${n(p.compliance.nonCompliant)} to migrate, ${n(p.compliance.exceptions)} left alone.</p>`,
    );
    if (p.caveat) parts.push(`<p class="caveat"><strong class="fail">Not the bucket before the work:</strong> ${e(p.caveat)}.</p>`);
    parts.push(
      tableHtml(
        'before-actions',
        ['encryption state / action', 'meaning', 'versions', 'bytes'],
        p.byAction.map((a) => [a.action, a.meaning, a.versions, formatBytes(a.bytes)]),
      ),
    );
    parts.push(
      tableHtml(
        'before-classes',
        ['storage class', 'versions', 'bytes'],
        p.byStorageClass.map((c) => [c.storageClass, c.versions, formatBytes(c.bytes)]),
      ),
    );
    if (p.objectLock.length > 0) {
      parts.push('<p class="meta">Under Object Lock: UpdateObjectEncryption refuses these; the runner never removes a lock.</p>');
      parts.push(
        tableHtml(
          'before-object-lock',
          ['class', 'meaning', 'versions', 'retain until (earliest)', 'retain until (latest)', 'legal holds'],
          p.objectLock.map((l) => [
            l.action,
            l.meaning,
            l.versions,
            l.retainUntilEarliest ?? '-',
            l.retainUntilLatest ?? '-',
            l.legalHolds,
          ]),
        ),
      );
    }
  } else {
    parts.push('<p class="meta">No plan recorded: the state predates plan records, or nothing was planned yet.</p>');
  }

  parts.push('<h3>After: the verification</h3>');
  if (b.after) {
    const v = b.after;
    const verdictClass = v.verdict.replace(' ', '-');
    const method =
      v.method === 'listing'
        ? 'by listing every version (ListObjectVersions, then HeadObject)'
        : `from the inventory${v.inventoryDate ? ` of ${d(v.inventoryDate)}` : ''} (Athena)`;
    parts.push(
      `<p>Verified ${when(v.checkedAt)} ${method}: <span class="badge verdict ${verdictClass}">${e(v.verdict.toUpperCase())}</span></p>`,
    );
    parts.push(
      tableHtml(
        'after-counts',
        ['versions', 'examined', 'not compliant', 'by reason', 'accepted exceptions'],
        [complianceRows('current', v.current), complianceRows('noncurrent', v.noncurrent)],
      ),
    );
    const facts = [e(v.keyCheckWords)];
    for (const c of v.cannotVerify) facts.push(`cannot verify: ${d(c)}`);
    if (v.newVersions)
      facts.push(
        `versions written since ${when(v.newVersions.since)}: ${n(v.newVersions.created)} (copies made: ${n(v.newVersions.copies)})${v.newVersions.allowed ? ', allowed' : ''}`,
      );
    parts.push(`<ul class="after-facts">${facts.map((f) => `<li>${f}</li>`).join('')}</ul>`);
    parts.push(sampleList('Not compliant, for example:', [...v.current.sample, ...v.noncurrent.sample]));
    parts.push(sampleList('Accepted exceptions, for example:', [...v.current.acceptedSample, ...v.noncurrent.acceptedSample]));
  } else {
    parts.push('<p class="meta">Not verified yet.</p>');
  }

  if (b.access) {
    const a = b.access;
    parts.push('<h3>Who reads and writes it</h3>');
    parts.push(`<p class="meta">Checked against the key policy ${when(a.checkedAt)}, before the run wrote anything.</p>`);
    parts.push(
      a.checks.length > 0
        ? tableHtml(
            'access',
            [...ACCESS_COLUMNS],
            a.checks.map((c) => accessCells(c, (value) => value)),
          )
        : '<p class="meta">No principal or service is granted object access by the bucket policy or an access point policy.</p>',
    );
    if (a.cannotTell.length > 0)
      parts.push(`<ul class="access-cannot-tell">${a.cannotTell.map((c) => `<li>cannot tell who reads it: ${d(c)}</li>`).join('')}</ul>`);
  }

  if (b.downstream) {
    const ds = b.downstream;
    parts.push("<h3>What the migration's writes set off</h3>");
    parts.push(
      `<p class="meta">Replication rules and event destinations checked ${when(ds.checkedAt)}, before the run wrote anything.</p>`,
    );
    parts.push(
      ds.replication.length > 0
        ? tableHtml(
            'replication',
            [...REPLICATION_COLUMNS],
            ds.replication.map((r) => replicationCells(r, (value) => value)),
          )
        : '<p class="meta">Replication: no rule.</p>',
    );
    parts.push(
      ds.events.length > 0
        ? tableHtml(
            'events',
            [...EVENT_COLUMNS],
            ds.events.map((e) => eventCells(e, (value) => value)),
          )
        : '<p class="meta">Event notifications: no destination receives the migration\'s events.</p>',
    );
    const notes = [...ds.cannotTell.map((c) => `cannot tell: ${d(c)}`), ...(ds.unsupported ?? []).map((c) => `not checked: ${d(c)}`)];
    if (notes.length > 0) parts.push(`<ul class="downstream-cannot-tell">${notes.map((n) => `<li>${n}</li>`).join('')}</ul>`);
  }

  parts.push('<h3>Batch Operations jobs</h3>');
  // Every job's completion report sits in one folder per bucket: named once in full, each cell names its job's folder in it.
  const reports = b.jobs.flatMap((j) => (j.completionReport ? [j.completionReport.replace(/[^/]+\/$/, '')] : []));
  const folder = reports.length > 0 && reports.every((r) => r === reports[0]) ? reports[0] : undefined;
  if (folder) parts.push(`<p class="meta report-folder">Completion reports under <code>${d(folder)}</code>, a folder per job.</p>`);
  if (b.jobs.length > 0) {
    parts.push(
      tableHtml(
        'jobs',
        [...JOB_COLUMNS],
        b.jobs.map((j) => {
          const cells = jobCells(j, (url) =>
            folder && url.startsWith(folder)
              ? `<span class="mono compact" title="${attr(url)}">…/${compactText(url.slice(folder.length), 12, 6)}</span>`
              : compact(url, 22, 18),
          );
          return [j.jobId ? compact(j.jobId, 8, 4) : e(String(cells[0])), ...cells.slice(1)];
        }),
        [0, 9],
      ),
    );
  } else {
    parts.push('<p class="meta">No Batch Operations jobs.</p>');
  }

  parts.push("<h3>The runner's own passes</h3>");
  if (b.passes.length > 0) {
    parts.push(
      tableHtml(
        'passes',
        ['pass', 'source', 'started', 'finished', 'outcomes', 'read back', 'newer writes made current again', 'failed', 'failure codes'],
        b.passes.map((p) => [
          e(p.pass),
          d(p.source),
          when(p.startedAt),
          p.finishedAt ? when(p.finishedAt) : 'stopped, resumes where it was',
          Object.entries(p.outcomes)
            .map(([k, c]) => `${d(k)} ${n(c)}`)
            .join(', ') || 'nothing yet',
          p.readBack,
          p.newerWritesRestored,
          p.failed,
          d(codes(p.failureCodes)),
        ]),
        [0, 1, 2, 3, 4, 8],
      ),
    );
  } else {
    parts.push('<p class="meta">No passes of its own (nothing over 5 GiB, locked, with ACLs or archived, and not the direct engine).</p>');
  }
  const archived = Object.entries(b.archived);
  if (archived.length > 0) parts.push(`<p>Archived versions: ${archived.map(([stage, c]) => `${d(stage)} ${n(c)}`).join(', ')}</p>`);

  parts.push('<h3>Noncurrent-version expiration</h3>');
  const x = b.expiration;
  parts.push(
    x
      ? `<p class="expiration">Rule <code>${d(x.ruleId)}</code> ${x.applied ? 'applied' : 'undone'} (${d(x.action)}) ${when(x.at)}: noncurrent versions expire after ${n(x.noncurrentDays)} days${x.newerNoncurrentVersions ? `, keeping the newest ${n(x.newerNoncurrentVersions)}` : ''}${x.prefix ? ` under <code>${d(x.prefix)}</code>` : ''}${x.expiresBy ? `; those noncurrent now are gone by ${e(humanDay(x.expiresBy)!)}` : ''}.${x.forced ? ' <strong class="fail">Forced without a passed verification.</strong>' : ''}</p>`
      : '<p class="expiration meta">Not applied: the old versions are kept.</p>',
  );
  parts.push('</section>');
  return parts.join('\n');
}

/** A commit as its short id, the whole id in the title. */
const commitHtml = (commit: string): string => {
  const short = shortCommit(commit);
  return short === commit ? `<span class="mono">${d(commit)}</span>` : `<span class="mono" title="${attr(commit)}">${d(short)}</span>`;
};

export function reportHtml(report: MigrationReport): string {
  const s = report.stack;
  const t = report.totals;
  const summaryRows = report.buckets.map((b) => [
    `<a href="#bucket-${attr(b.bucket)}">${d(b.bucket)}</a>`,
    `<span class="badge ${b.stands}">${e(STANDS_WORDS[b.stands])}</span>`,
    b.after
      ? `<span class="${b.after.verdict.replace(' ', '-')}">${e(b.after.verdict.toUpperCase())}</span> ${when(b.after.checkedAt)}`
      : 'not verified',
    b.after && b.after.compliance.awaitingExpiration > 0
      ? `${n(b.after.compliance.awaitingExpiration)}${b.expiration?.expiresBy ? `, gone by ${e(humanDay(b.expiration.expiresBy)!)}` : ', no rule applied'}`
      : '-',
    b.next ? `<code>${d(b.next)}</code>` : '-',
  ]);
  const totalsRow = [
    `${n(t.buckets)} (${n(t.verified)} verified)`,
    `${n(t.before.versions)} (${e(formatBytes(t.before.bytes))})`,
    `${n(t.before.compliance.compliant)} (${pct(t.before.compliance.compliant, splitTotal(t.before.compliance))})`,
    `${n(t.after.compliant)} of ${n(splitTotal(t.after))} (${pct(t.after.compliant, splitTotal(t.after))})`,
    n(t.after.nonCompliant),
    `${n(t.after.awaitingExpiration)}${t.expiresBy ? `, gone by ${e(humanDay(t.expiresBy)!)}` : ''}`,
    n(t.after.exceptions),
    `${n(t.jobs)}: ${n(t.tasksSucceeded)} tasks succeeded, ${n(t.tasksFailed)} failed`,
  ];
  const runRows = report.runs.map((r) => [
    d(r.command),
    when(r.at),
    `<span class="mono">${d(r.principal)}</span>`,
    d(r.toolVersion),
    commitHtml(r.commit),
  ]);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${attr(report.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${d(report.title)}</h1>
<p class="meta">Generated <span id="generated-at">${when(report.generatedAt)}</span> by s3-kms-migrate ${d(report.generatedBy.toolVersion)} (commit ${commitHtml(report.generatedBy.commit)}) from the state <code>${d(s.state)}</code>, updated ${when(s.stateUpdatedAt)}. Overall: <span class="badge ${report.stands}" id="overall">${e(STANDS_WORDS[report.stands])}</span></p>
<dl class="facts" id="stack">
<dt>KMS key</dt><dd><code>${d(s.keyArn)}</code></dd>
<dt>Alias</dt><dd><code>${d(s.keyAlias)}</code></dd>
<dt>Rotation</dt><dd>${d(s.rotation)}</dd>
<dt>Region</dt><dd>${d(s.region)}</dd>
<dt>Account</dt><dd>${d(s.account)}</dd>
</dl>
<h2 class="totals">Stack totals</h2>
${tableHtml('totals', ['buckets', 'versions before', 'compliant before', 'compliant after', 'current not compliant', 'noncurrent awaiting expiration', 'exceptions', 'Batch Operations jobs'], [totalsRow], [0, 1, 2, 3, 4, 5, 6, 7])}
${tableHtml('summary', ['bucket', 'stands', 'verification', 'noncurrent awaiting expiration', 'next'], summaryRows, [0, 1, 2, 3, 4])}
<h3>Who ran it</h3>
${runRows.length > 0 ? tableHtml('runs', ['command', 'last run', 'by', 'tool version', 'commit'], runRows, [0, 1, 2, 3, 4]) : '<p class="meta runs">No command recorded who ran it (the state predates those records).</p>'}
</header>
<main>
${report.buckets.map(bucketHtml).join('\n')}
</main>
</body>
</html>
`;
}
