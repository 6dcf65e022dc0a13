// Athena, free of HTTP: workgroups and query executions. A query runs asynchronously (QUEUED ->
// RUNNING -> SUCCEEDED/FAILED/CANCELLED), executes its SQL for real (engine.ts) and writes its
// results where Athena puts them: `<OutputLocation><QueryExecutionId>.csv` and `.csv.metadata`;
// an UNLOAD writes its rows as files under its TO prefix instead (unload.ts).
import type {
  ColumnInfo,
  EncryptionConfiguration,
  QueryExecution,
  ResultConfiguration,
  WorkGroup,
  WorkGroupConfiguration,
  WorkGroupSummary,
} from '@aws-sdk/client-athena';
import { randomUUID } from 'node:crypto';
import type { GlueWorld } from '../glue/world';
import { optional } from '../optional';
import { decodeOffsetToken, pageFrom } from '../page-token';
import { bytesBody } from '../s3/body';
import type { ObjectBody } from '../s3/model';
import type { EncryptionRequest } from '../s3/object-draft';
import type { S3World } from '../s3/world';
import { resultCsvLine } from './csv';
import { DataFileCache } from './data-files';
import { runQuery, runUnloadQuery, type QueryOutcome, type ResultColumn, type UnloadOutcome } from './engine';
import { athenaErrors, QueryFailure } from './errors';
import { parseS3Url } from './table-source';
import { parseUnload, type UnloadStatement } from './unload';

export interface AthenaWorldDeps {
  readonly glue: GlueWorld;
  readonly s3: S3World;
  readonly now: () => Date;
}

export interface StartQueryInput {
  readonly queryString: string;
  /** @default 'primary' */
  readonly workGroup?: string;
  readonly database?: string;
  readonly resultConfiguration?: ResultConfiguration;
  readonly clientRequestToken?: string;
}

export interface CreateWorkGroupInput {
  readonly name: string;
  readonly description?: string;
  readonly configuration?: WorkGroupConfiguration;
}

export interface ResultsPage {
  readonly columns: readonly ResultColumn[];
  /** The header row first on the first page, as Athena returns SELECT results. */
  readonly rows: readonly (readonly (string | null)[])[];
  readonly nextToken?: string;
}

type QueryState = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

interface Execution {
  readonly id: string;
  readonly query: string;
  readonly workGroup: string;
  readonly database?: string;
  readonly resultConfiguration: ResultConfiguration;
  readonly submitted: Date;
  state: QueryState;
  stateChangeReason?: string;
  errorType?: number;
  completed?: Date;
  engineMillis?: number;
  /** CPU the whole process used while the query ran (DuckDB's threads included): for the bench, steadier than wall time on a busy machine. */
  processCpuMillis?: number;
  outcome?: QueryOutcome;
  dataScannedInBytes: number;
  /** Set for an UNLOAD: the `<id>-manifest.csv` listing the files it wrote. */
  dataManifestLocation?: string;
  /** Set for an UNLOAD: how many data files it wrote. */
  unloadFiles?: number;
}

const PRIMARY = 'primary';
const WORKGROUP_NAME = /^[a-zA-Z0-9._-]{1,128}$/;

export class AthenaWorld {
  /** Milliseconds a query spends in each of QUEUED and RUNNING before the next state. */
  stateDelayMs = 5;
  /** Rows per file an UNLOAD writes; Athena splits its output over parallel writers too. */
  unloadRowsPerFile = 100_000;
  private readonly workGroups = new Map<string, WorkGroup>();
  private readonly executions = new Map<string, Execution>();
  private readonly tokens = new Map<string, string>();
  /** The query that runs now (or the last one); the next starts when it settles. */
  private running: Promise<void> = Promise.resolve();
  /** Local copies of the data files queries read, kept while their S3 objects stay the same. */
  private readonly files: DataFileCache;

  constructor(private readonly deps: AthenaWorldDeps) {
    this.files = new DataFileCache({ s3: deps.s3 });
    this.workGroups.set(PRIMARY, {
      Name: PRIMARY,
      State: 'ENABLED',
      Configuration: { EnforceWorkGroupConfiguration: false, PublishCloudWatchMetricsEnabled: false, RequesterPaysEnabled: false },
      Description: '',
      CreationTime: deps.now(),
    });
  }

  // --- workgroups ----------------------------------------------------------------------------

  createWorkGroup(input: CreateWorkGroupInput): WorkGroup {
    if (!WORKGROUP_NAME.test(input.name))
      throw athenaErrors.invalidRequest(`WorkGroup name '${input.name}' must match [a-zA-Z0-9._-]{1,128}`);
    if (this.workGroups.has(input.name)) throw athenaErrors.invalidRequest('WorkGroup is already created');
    const workGroup: WorkGroup = {
      Name: input.name,
      State: 'ENABLED',
      Configuration: {
        EnforceWorkGroupConfiguration: true,
        PublishCloudWatchMetricsEnabled: true,
        RequesterPaysEnabled: false,
        ...input.configuration,
      },
      Description: input.description ?? '',
      CreationTime: this.deps.now(),
    };
    this.workGroups.set(input.name, workGroup);
    return workGroup;
  }

  getWorkGroup(name: string): WorkGroup {
    const workGroup = this.workGroups.get(name);
    if (!workGroup) throw athenaErrors.invalidRequest(`WorkGroup ${name} is not found.`);
    return workGroup;
  }

  listWorkGroups(): WorkGroupSummary[] {
    return [...this.workGroups.values()]
      .sort((a, b) => (a.Name! < b.Name! ? -1 : 1))
      .map((w) => ({
        Name: w.Name,
        State: w.State,
        Description: w.Description,
        CreationTime: w.CreationTime,
        EngineVersion: ENGINE_VERSION,
      }));
  }

  // --- queries -------------------------------------------------------------------------------

  startQueryExecution(input: StartQueryInput): string {
    if (input.clientRequestToken !== undefined) {
      const existing = this.tokens.get(input.clientRequestToken);
      if (existing) return existing;
    }
    const workGroup = this.getWorkGroup(input.workGroup ?? PRIMARY);
    if (workGroup.State !== 'ENABLED') throw athenaErrors.invalidRequest(`WorkGroup ${workGroup.Name} is disabled.`);
    const resultConfiguration = effectiveResultConfiguration(workGroup, input.resultConfiguration);
    if (!resultConfiguration.OutputLocation) {
      throw athenaErrors.invalidRequest(
        'No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.',
      );
    }
    const id = randomUUID();
    const execution: Execution = {
      id,
      query: input.queryString,
      workGroup: workGroup.Name!,
      ...(input.database !== undefined ? { database: input.database } : {}),
      resultConfiguration: { ...resultConfiguration, OutputLocation: `${withSlash(resultConfiguration.OutputLocation)}${id}.csv` },
      submitted: this.deps.now(),
      state: 'QUEUED',
      dataScannedInBytes: 0,
    };
    this.executions.set(id, execution);
    if (input.clientRequestToken !== undefined) this.tokens.set(input.clientRequestToken, id);
    // One query runs at a time, the rest wait QUEUED in order, as Athena queues the queries beyond
    // an account's active-query quota: on a rehearsal's few cores, running them side by side only
    // makes each slower and the sandbox's memory the sum of theirs.
    this.running = this.running
      .then(() => new Promise((resolve) => setTimeout(resolve, this.stateDelayMs)))
      .then(() => this.run(execution, workGroup))
      // run() records every failure on its execution; should it ever throw, the queue must go on.
      .catch(() => undefined);
    return id;
  }

  getQueryExecution(id: string): QueryExecution {
    const e = this.execution(id);
    const finished = e.completed !== undefined;
    return {
      QueryExecutionId: e.id,
      Query: e.query,
      StatementType: 'DML',
      ResultConfiguration: e.resultConfiguration,
      ...(e.database !== undefined ? { QueryExecutionContext: { Database: e.database, Catalog: 'AwsDataCatalog' } } : {}),
      Status: {
        State: e.state,
        SubmissionDateTime: e.submitted,
        ...(e.completed ? { CompletionDateTime: e.completed } : {}),
        ...(e.stateChangeReason !== undefined ? { StateChangeReason: e.stateChangeReason } : {}),
        ...(e.state === 'FAILED'
          ? { AthenaError: { ErrorCategory: 2, ErrorType: e.errorType ?? 1001, Retryable: false, ErrorMessage: e.stateChangeReason ?? '' } }
          : {}),
      },
      Statistics: {
        EngineExecutionTimeInMillis: e.engineMillis ?? 0,
        DataScannedInBytes: e.dataScannedInBytes,
        TotalExecutionTimeInMillis: finished ? e.completed!.getTime() - e.submitted.getTime() : 0,
        QueryQueueTimeInMillis: this.stateDelayMs,
        ServiceProcessingTimeInMillis: 0,
        ...(e.dataManifestLocation !== undefined ? { DataManifestLocation: e.dataManifestLocation } : {}),
      },
      WorkGroup: e.workGroup,
      EngineVersion: ENGINE_VERSION,
    };
  }

  getQueryResults(id: string, options: { readonly nextToken?: string; readonly maxResults?: number } = {}): ResultsPage {
    const e = this.execution(id);
    if (e.state !== 'SUCCEEDED' || !e.outcome) {
      if (e.state === 'QUEUED' || e.state === 'RUNNING')
        throw athenaErrors.invalidRequest(`Query has not yet finished. Current state: ${e.state}`);
      throw athenaErrors.invalidRequest(`Query did not finish successfully. Final query state: ${e.state}`);
    }
    const max = options.maxResults ?? 1000;
    if (!Number.isInteger(max) || max < 1 || max > 1000)
      throw athenaErrors.invalidRequest(`MaxResults must be between 1 and 1000. Received: ${max}`);
    // An UNLOAD's rows went to its files: its result set is empty, without even a header row.
    const all = e.dataManifestLocation !== undefined ? [] : [e.outcome.columns.map((c) => c.name), ...e.outcome.rows];
    // A token continues only the query whose results it paged.
    const start = options.nextToken !== undefined ? decodeOffsetToken(options.nextToken, id) : 0;
    if (start === undefined) throw athenaErrors.invalidRequest('NextToken is invalid for this query');
    const page = pageFrom(all, start, max, id);
    return { columns: e.outcome.columns, rows: page.items, ...optional('nextToken', page.nextToken) };
  }

  stopQueryExecution(id: string): void {
    const e = this.execution(id);
    if (e.state === 'QUEUED' || e.state === 'RUNNING') {
      e.state = 'CANCELLED';
      e.completed = this.deps.now();
    }
  }

  /** The queries that finished, the engine time they took and the data files their UNLOADs wrote, summed (for the bench). */
  engineStatistics(): {
    readonly queries: number;
    readonly engineMillis: number;
    readonly processCpuMillis: number;
    readonly unloadFiles: number;
  } {
    const finished = [...this.executions.values()].filter((e) => e.completed !== undefined);
    return {
      queries: finished.length,
      engineMillis: finished.reduce((sum, e) => sum + (e.engineMillis ?? 0), 0),
      processCpuMillis: finished.reduce((sum, e) => sum + (e.processCpuMillis ?? 0), 0),
      unloadFiles: finished.reduce((sum, e) => sum + (e.unloadFiles ?? 0), 0),
    };
  }

  /** Removes the local copies of data files (the sandbox stops); a later query makes them again. */
  dispose(): void {
    this.files.dispose();
  }

  /** Resolves when the query has left QUEUED and RUNNING (for in-process callers and tests). */
  async waitForQuery(id: string, timeoutMs = 30_000): Promise<QueryExecution> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const execution = this.getQueryExecution(id);
      const state = execution.Status?.State;
      if (state !== 'QUEUED' && state !== 'RUNNING') return execution;
      if (Date.now() > deadline) throw new Error(`query ${id} still ${state} after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, this.stateDelayMs)));
    }
  }

  private async run(e: Execution, workGroup: WorkGroup): Promise<void> {
    if (e.state !== 'QUEUED') return;
    e.state = 'RUNNING';
    await new Promise((resolve) => setTimeout(resolve, this.stateDelayMs));
    if (e.state !== 'RUNNING') return;
    const started = Date.now();
    const cpu = process.cpuUsage();
    try {
      const cutoff = workGroup.Configuration?.BytesScannedCutoffPerQuery;
      const unload = parseUnload(e.query);
      if (unload) this.checkUnloadTarget(unload);
      const context = {
        glue: this.deps.glue,
        s3: this.deps.s3,
        now: this.deps.now(),
        files: this.files,
        keepBody: (body: ObjectBody) => this.deps.s3.keepBody(body),
        ...(e.database !== undefined ? { database: e.database } : {}),
        ...(cutoff !== undefined ? { bytesScannedCutoff: cutoff } : {}),
      };
      if (unload) {
        const written = await runUnloadQuery(unload.select, context, {
          fieldDelimiter: unload.fieldDelimiter,
          gzip: unload.compression === 'GZIP',
          rowsPerFile: this.unloadRowsPerFile,
        });
        if (e.state !== 'RUNNING') return;
        this.writeUnload(e, unload, written);
        e.outcome = { columns: written.columns, rows: [], dataScannedInBytes: written.dataScannedInBytes };
      } else {
        const outcome = await runQuery(e.query, context);
        if (e.state !== 'RUNNING') return;
        this.writeResults(e, outcome);
        e.outcome = outcome;
      }
      e.dataScannedInBytes = e.outcome.dataScannedInBytes;
      e.state = 'SUCCEEDED';
    } catch (error) {
      if (e.state !== 'RUNNING') return;
      e.state = 'FAILED';
      e.stateChangeReason = error instanceof Error ? error.message : String(error);
      e.errorType = error instanceof QueryFailure ? error.errorType : 1001;
    } finally {
      e.engineMillis = Date.now() - started;
      const used = process.cpuUsage(cpu);
      e.processCpuMillis = Math.round((used.user + used.system) / 1000);
      e.completed ??= this.deps.now();
    }
  }

  private writeResults(e: Execution, outcome: QueryOutcome): void {
    const target = parseS3Url(e.resultConfiguration.OutputLocation!);
    const csv = [resultCsvLine(outcome.columns.map((c) => c.name)), ...outcome.rows.map((r) => resultCsvLine(r))].join('');
    const encryption = encryptionRequest(e.resultConfiguration.EncryptionConfiguration);
    this.deps.s3.putObject({
      bucket: target.bucket,
      key: target.key,
      body: bytesBody(Buffer.from(csv, 'utf8')),
      contentType: 'text/csv',
      ...(encryption ? { encryption } : {}),
    });
    // Athena's .metadata is a binary (protobuf) description of the columns; the sandbox writes the
    // same facts as JSON, for tools that only check the file exists.
    const metadata = JSON.stringify({ ColumnInfo: columnInfo(outcome.columns) });
    this.deps.s3.putObject({
      bucket: target.bucket,
      key: `${target.key}.metadata`,
      body: bytesBody(Buffer.from(metadata, 'utf8')),
      contentType: 'application/octet-stream',
      ...(encryption ? { encryption } : {}),
    });
  }

  /** Athena refuses to UNLOAD into a prefix that already holds objects, before running the SELECT. */
  private checkUnloadTarget(unload: UnloadStatement): void {
    const taken = this.deps.s3.listObjects(unload.targetBucket, { prefix: unload.targetPrefix, maxKeys: 1 }).objects.length > 0;
    if (taken) {
      throw new QueryFailure(
        `HIVE_PATH_ALREADY_EXISTS: Target directory for table already exists: s3://${unload.targetBucket}/${unload.targetPrefix}. You may need to manually clean the data at location before retrying.`,
        1001,
      );
    }
  }

  /**
   * The files DuckDB wrote, as objects under the TO prefix (`<id>_<uuid>`, `.gz` when gzip), then
   * the `<id>-manifest.csv` listing them and the `.metadata` in the results location. No results CSV.
   */
  private writeUnload(e: Execution, unload: UnloadStatement, outcome: UnloadOutcome): void {
    const encryption = encryptionRequest(e.resultConfiguration.EncryptionConfiguration);
    const put = (bucket: string, key: string, body: ObjectBody | Buffer, contentType: string): void => {
      const stored = Buffer.isBuffer(body) ? bytesBody(body) : body;
      this.deps.s3.putObject({ bucket, key, body: stored, contentType, ...(encryption ? { encryption } : {}) });
    };
    const gzip = unload.compression === 'GZIP';
    const written: string[] = [];
    for (const file of outcome.files) {
      const key = `${unload.targetPrefix}${e.id}_${randomUUID()}${gzip ? '.gz' : ''}`;
      put(unload.targetBucket, key, file, gzip ? 'application/gzip' : 'text/plain');
      written.push(`s3://${unload.targetBucket}/${key}`);
    }
    const results = parseS3Url(e.resultConfiguration.OutputLocation!);
    const base = results.key.replace(/\.csv$/, '');
    put(results.bucket, `${base}-manifest.csv`, Buffer.from(written.map((url) => `${url}\n`).join(''), 'utf8'), 'text/csv');
    put(
      results.bucket,
      `${base}.metadata`,
      Buffer.from(JSON.stringify({ ColumnInfo: columnInfo(outcome.columns) }), 'utf8'),
      'application/octet-stream',
    );
    e.dataManifestLocation = `s3://${results.bucket}/${base}-manifest.csv`;
    e.unloadFiles = written.length;
  }

  private execution(id: string): Execution {
    const e = this.executions.get(id);
    if (!e) throw athenaErrors.invalidRequest(`QueryExecution ${id} was not found`);
    return e;
  }
}

const ENGINE_VERSION = { SelectedEngineVersion: 'AUTO', EffectiveEngineVersion: 'Athena engine version 3' };

/** With EnforceWorkGroupConfiguration the workgroup's settings win over the client's, field by field as Athena documents. */
function effectiveResultConfiguration(workGroup: WorkGroup, client: ResultConfiguration | undefined): ResultConfiguration {
  const own = workGroup.Configuration?.ResultConfiguration ?? {};
  if (workGroup.Configuration?.EnforceWorkGroupConfiguration) return { ...own };
  return { ...own, ...stripUndefined(client ?? {}) };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function encryptionRequest(config: EncryptionConfiguration | undefined): EncryptionRequest | undefined {
  if (!config?.EncryptionOption) return undefined;
  if (config.EncryptionOption === 'SSE_S3') return { serverSideEncryption: 'AES256' };
  if (config.EncryptionOption === 'SSE_KMS')
    return { serverSideEncryption: 'aws:kms', ...(config.KmsKey !== undefined ? { kmsKeyId: config.KmsKey } : {}) };
  // CSE_KMS encrypts on Athena's side before upload; the sandbox cannot model client-side encryption.
  throw new QueryFailure(`NOT_SUPPORTED: EncryptionOption ${config.EncryptionOption} is not supported by the sandbox`, 1003);
}

const PRECISION: Readonly<Record<string, number>> = {
  varchar: 2147483647,
  bigint: 19,
  integer: 10,
  double: 17,
  boolean: 0,
  'timestamp(3)': 3,
  'timestamp(3) with time zone': 3,
};

export function columnInfo(columns: readonly ResultColumn[]): ColumnInfo[] {
  return columns.map((c) => ({
    CatalogName: 'hive',
    SchemaName: '',
    TableName: '',
    Name: c.name,
    Label: c.name,
    Type: c.type,
    Precision: PRECISION[c.type] ?? 0,
    Scale: 0,
    Nullable: 'UNKNOWN',
    CaseSensitive: c.type === 'varchar',
  }));
}

function withSlash(location: string): string {
  return location.endsWith('/') ? location : `${location}/`;
}
