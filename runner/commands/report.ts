// `migrate report`: flags to options, then the audit trail document (engine/report.ts). Reads only.
import { Option, type Command } from 'commander';
import { REPORT_FORMATS, type ReportFormat } from '../core/report';
import { checkOutFile } from '../out-file';
import { CommonFlags, withCommonOptions, withContext, examplesHelp } from './flags';

interface ReportFlags extends CommonFlags {
  format: ReportFormat;
  out?: string;
}

export function registerReportCommand(program: Command): void {
  withCommonOptions(program.command('report'))
    .summary('write the migration report (md, html or json)')
    .addHelpText(
      'before',
      examplesHelp([
        '  npm run migrate -- report --stack prod --format html --out report.html',
        '  npm run migrate -- report --stack prod > report.md',
      ]),
    )
    .description(
      'write the migration report: the key (ARN, alias, rotation, Region, account); per bucket what the plan found before (versions and bytes ' +
        'by encryption state and storage class), the verification after (method, time, counts, accepted exceptions, samples), every ' +
        "Batch Operations job (id, operation, class, counts, failure codes, read-back, completion report location), the runner's own passes, " +
        'the expiration rule, and what is still open with the command that moves it on. Built from the state alone: no Athena query, ' +
        'nothing written to AWS. md fits a pull-request comment; html is one self-contained file (no network) that prints well; json is the same data. ' +
        'Exit 0 once written, whatever the report says (use `migrate status` to gate a pipeline).',
    )
    .addOption(new Option('--format <format>', 'md, html or json').choices([...REPORT_FORMATS]).default('md'))
    .option(
      '--out <file>',
      'write the report to this file, in a folder that exists; replaced whole, never left half-written (default: stdout)',
    )
    .action(async (flags: ReportFlags) => {
      // Checked before the state is read: a report nobody can save is not worth fetching.
      const out = flags.out === undefined ? undefined : checkOutFile('--out', flags.out);
      const { writeReport } = await import('../engine/report');
      await withContext(flags, (ctx, output) => writeReport(ctx, { format: flags.format, ...(out ? { out } : {}) }, output));
    });
}
