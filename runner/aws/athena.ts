// Athena queries: start one in the stack's workgroup, wait for it with backoff, read its rows.
import {
  GetQueryExecutionCommand,
  GetWorkGroupCommand,
  StartQueryExecutionCommand,
  paginateGetQueryResults,
  type AthenaClient,
} from '@aws-sdk/client-athena';
import type { z } from 'zod';
import { AwsError } from '../errors';
import { explainAwsError, isAwsError } from './errors';
import { sleep } from './retry';

export interface QueryRun {
  readonly queryExecutionId: string;
  /** s3:// URL of the result CSV. */
  readonly outputLocation: string;
  readonly dataScannedBytes: number;
  /** s3:// URL of the list of files an UNLOAD, CTAS or INSERT INTO wrote. */
  readonly dataManifestLocation?: string;
}

export interface QueryOptions {
  readonly workgroup: string;
  readonly database: string;
  /** Give up waiting after this long. @default 30 minutes */
  readonly timeoutMs?: number;
  /** First poll interval; grows by half each poll up to `MAX_POLL_MS`. @default FIRST_POLL_MS */
  readonly pollMs?: number;
  /** Makes a rerun of the same query reuse the same execution for 24 hours. */
  readonly clientRequestToken?: string;
}

/**
 * The poll schedule: a query the runner waits on is usually done in seconds, and each interval is
 * time it may sit finished before the runner looks, so polls start at 100 ms and grow by half, to
 * one a second. Doubling to 5 s would leave a query that took 3.1 s unseen until 6.2 s. Even
 * one poll a second per query is far inside Athena's default per-account quota for
 * GetQueryExecution (100 calls a second, Service Quotas), and the SDK's retry handles throttling.
 */
export const FIRST_POLL_MS = 100;
export const MAX_POLL_MS = 1000;
const POLL_GROWTH = 1.5;

/** The interval after one of `delayMs`. */
export function nextPollMs(delayMs: number): number {
  return Math.min(Math.round(delayMs * POLL_GROWTH), MAX_POLL_MS);
}

export async function workgroupExists(athena: AthenaClient, workgroup: string): Promise<boolean> {
  try {
    await athena.send(new GetWorkGroupCommand({ WorkGroup: workgroup }));
    return true;
  } catch (error) {
    if (isAwsError(error, 'InvalidRequestException', 'ResourceNotFoundException')) return false;
    throw explainAwsError(error, `Reading Athena workgroup ${workgroup}`);
  }
}

export async function runQuery(athena: AthenaClient, sql: string, options: QueryOptions): Promise<QueryRun> {
  let id: string;
  try {
    const started = await athena.send(
      new StartQueryExecutionCommand({
        QueryString: sql,
        WorkGroup: options.workgroup,
        QueryExecutionContext: { Database: options.database },
        ...(options.clientRequestToken ? { ClientRequestToken: options.clientRequestToken } : {}),
      }),
    );
    id = started.QueryExecutionId!;
  } catch (error) {
    throw explainAwsError(error, `Starting an Athena query in workgroup ${options.workgroup}`);
  }
  const deadline = Date.now() + (options.timeoutMs ?? 30 * 60_000);
  let delay = options.pollMs ?? FIRST_POLL_MS;
  for (;;) {
    const out = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
    const execution = out.QueryExecution!;
    const state = execution.Status?.State;
    if (state === 'SUCCEEDED') {
      return {
        queryExecutionId: id,
        outputLocation: execution.ResultConfiguration?.OutputLocation ?? '',
        dataScannedBytes: execution.Statistics?.DataScannedInBytes ?? 0,
        ...(execution.Statistics?.DataManifestLocation ? { dataManifestLocation: execution.Statistics.DataManifestLocation } : {}),
      };
    }
    if (state === 'FAILED' || state === 'CANCELLED') {
      throw new AwsError(
        `Athena query ${id} ${state}: ${execution.Status?.StateChangeReason ?? 'no reason given'}`,
        execution.Status?.AthenaError?.ErrorType?.toString(),
      );
    }
    if (Date.now() > deadline) throw new AwsError(`Athena query ${id} still ${state} after the timeout; rerun to wait again`, 'Timeout');
    await sleep(delay);
    delay = nextPollMs(delay);
  }
}

/** The query was an UNLOAD (or CTAS) whose target folder already held objects: Athena writes nothing then. */
export function isTargetNotEmpty(error: unknown): boolean {
  return error instanceof AwsError && error.message.includes('HIVE_PATH_ALREADY_EXISTS');
}

/**
 * Every row of a query's results (for small, aggregated results), parsed with the schema of the
 * query's columns: rows come from outside the process, and a column that is missing is named here
 * rather than read later as `undefined`.
 */
export async function queryRows<Row>(athena: AthenaClient, queryExecutionId: string, schema: z.ZodType<Row>): Promise<Row[]> {
  const rows: Row[] = [];
  let columns: string[] | undefined;
  for await (const page of paginateGetQueryResults({ client: athena }, { QueryExecutionId: queryExecutionId })) {
    const pageRows = page.ResultSet?.Rows ?? [];
    // For a SELECT, the first row of the first page repeats the column names.
    const firstPage = columns === undefined;
    columns ??= page.ResultSet?.ResultSetMetadata?.ColumnInfo?.map((c) => c.Name ?? '') ?? [];
    for (const row of firstPage ? pageRows.slice(1) : pageRows) {
      const values = (row.Data ?? []).map((d) => d.VarCharValue ?? '');
      rows.push(parseRow(schema, Object.fromEntries(columns.map((c, i) => [c, values[i] ?? ''])), queryExecutionId, rows.length));
    }
  }
  return rows;
}

function parseRow<Row>(schema: z.ZodType<Row>, raw: Record<string, string>, queryExecutionId: string, index: number): Row {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `column ${i.path.map(String).join('.') || '(row)'}: ${i.message}`);
  throw new AwsError(
    `Athena query ${queryExecutionId} returned row ${index + 1} in a shape the runner does not read (${problems.join('; ')}; ` +
      `columns received: ${Object.keys(raw).join(', ') || 'none'}). The Glue table or the query is not the one this runner expects: ` +
      'redeploy the stack with this version of the project, then rerun.',
    'UnexpectedQueryResult',
  );
}
