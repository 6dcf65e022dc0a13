// `migrate report`: the stack's audit trail in one document (markdown, HTML or JSON), from the state and the stack outputs alone. Reads only; takes no lock.
import { writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { migrationReport, type MigrationReport } from '../core/report';
import { reportHtml } from '../core/report-html';
import { reportMarkdown } from '../core/report-markdown';
import { EXIT, type ExitCode } from '../errors';
import type { Output } from '../output';
import { StateStore } from '../state';
import { CommonFlags, withCommonOptions, withContext } from './flags';
import type { RunContext } from '../context';

export const REPORT_FORMATS = ['md', 'html', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportOptions {
  readonly format: ReportFormat;
  /** File to write; stdout when absent. */
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

export async function writeReport(ctx: RunContext, options: ReportOptions, output: Output): Promise<ExitCode> {
  const { outputs, clients } = ctx;
  // No lock: the report is of the state as last saved; a runner working meanwhile changes only what comes next.
  const state = await new StateStore(clients.s3, outputs.reports_bucket, outputs).load(outputs.stack);
  const document = renderReport(migrationReport({ state, outputs, generatedAt: options.now ?? new Date() }), options.format);
  if (options.out === undefined) {
    process.stdout.write(document);
    return EXIT.done;
  }
  writeFileSync(options.out, document);
  output.emit('report-written', { file: options.out, format: options.format, bytes: Buffer.byteLength(document) }, () => `Wrote the ${options.format} report of stack ${outputs.stack} to ${options.out}`);
  return EXIT.done;
}

interface ReportFlags extends CommonFlags {
  format: ReportFormat;
  out?: string;
}

export function registerReportCommand(program: Command): void {
  withCommonOptions(program.command('report'))
    .description(
      'write the migration report: the key (ARN, alias, rotation, Region, account); per bucket what the plan found before (versions and bytes ' +
        'by encryption state and storage class), the verification after (method, time, counts, accepted exceptions, samples), every ' +
        "Batch Operations job (id, operation, class, counts, failure codes, read-back, completion report location), the runner's own passes, " +
        'the expiration rule, and what is still open with the command that moves it on. Built from the state alone: no Athena query, ' +
        'nothing written to AWS. md fits a pull-request comment; html is one self-contained file (no network) that prints well; json is the same data. ' +
        'Exit 0 once written, whatever the report says (use `migrate status` to gate a pipeline).',
    )
    .addOption(new Option('--format <format>', 'md, html or json').choices([...REPORT_FORMATS]).default('md'))
    .option('--out <file>', 'write the report to this file (default: stdout)')
    .action(async (flags: ReportFlags) => {
      await withContext(flags, (ctx, output) => writeReport(ctx, { format: flags.format, ...(flags.out ? { out: flags.out } : {}) }, output));
    });
}
