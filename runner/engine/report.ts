// `migrate report`: the stack's audit trail in one document (markdown, HTML or JSON), from the state and the stack outputs alone. Reads only; takes no lock.
import { buildInfo } from '../build-info';
import { migrationReport, type MigrationReport } from '../core/report';
import { reportHtml } from '../core/report-html';
import { reportMarkdown } from '../core/report-markdown';
import { DONE, settle, type EngineResult } from '../result';
import type { Output } from '../output';
import { writeOutFile } from '../out-file';
import { StateStore } from '../state';
import type { RunContext } from '../context';

import type { ReportFormat } from '../core/report';
export { REPORT_FORMATS, type ReportFormat } from '../core/report';

export interface ReportOptions {
  readonly format: ReportFormat;
  /** File to write, its folder checked already (checkOutFile); stdout when absent. */
  readonly out?: string;
  /** @default now */
  readonly now?: Date;
}

/** The document in one format: one model, one renderer each. */
export function renderReport(report: MigrationReport, format: ReportFormat): string {
  switch (format) {
    case 'md':
      return reportMarkdown(report);
    case 'html':
      return reportHtml(report);
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
  }
}

export async function writeReport(ctx: RunContext, options: ReportOptions, output: Output): Promise<EngineResult> {
  return settle(() => writeStateReport(ctx, options, output));
}

async function writeStateReport(ctx: RunContext, options: ReportOptions, output: Output): Promise<EngineResult> {
  const { outputs, clients } = ctx;
  // No lock: the report is of the state as last saved; a runner working meanwhile changes only what comes next.
  const state = await new StateStore(clients.s3, outputs.reports_bucket, outputs).load(outputs.stack);
  const document = renderReport(
    migrationReport({ state, outputs, generatedAt: options.now ?? new Date(), generatedBy: buildInfo() }),
    options.format,
  );
  if (options.out === undefined) {
    process.stdout.write(document);
    return DONE;
  }
  writeOutFile('--out', options.out, document);
  output.emit(
    'report-written',
    { file: options.out, format: options.format, bytes: Buffer.byteLength(document) },
    () => `Wrote the ${options.format} report of stack ${outputs.stack} to ${options.out}`,
  );
  return DONE;
}
