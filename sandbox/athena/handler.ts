// Athena on the wire (awsJson1.1, `AmazonAthena.*`): queries and workgroups in the SDK's shapes,
// answering from the AthenaWorld.
import type { QueryExecutionContext, ResultConfiguration, WorkGroupConfiguration } from '@aws-sdk/client-athena';
import { JsonProtocolHandler, type JsonOperation } from '../http/json-protocol';
import { athenaErrors } from './errors';
import { columnInfo, type AthenaWorld } from './world';

// CreateWorkGroup refuses per-query cutoffs below 10 MB (the API's documented minimum).
const MIN_BYTES_SCANNED_CUTOFF = 10_000_000;

export class AthenaHandler extends JsonProtocolHandler {
  readonly name = 'athena';
  readonly signingName = 'athena';
  readonly targetPrefix = 'AmazonAthena';
  protected readonly operations: Readonly<Record<string, JsonOperation>>;

  constructor(athena: AthenaWorld) {
    super();
    this.operations = {
      StartQueryExecution: (input) => {
        const context = input.QueryExecutionContext as QueryExecutionContext | undefined;
        const workGroup = optionalString(input, 'WorkGroup');
        const token = optionalString(input, 'ClientRequestToken');
        const id = athena.startQueryExecution({
          queryString: requiredString(input, 'QueryString'),
          ...(workGroup !== undefined ? { workGroup } : {}),
          ...(context?.Database !== undefined ? { database: context.Database } : {}),
          ...(input.ResultConfiguration !== undefined ? { resultConfiguration: input.ResultConfiguration as ResultConfiguration } : {}),
          ...(token !== undefined ? { clientRequestToken: token } : {}),
        });
        return { QueryExecutionId: id };
      },
      GetQueryExecution: (input) => ({ QueryExecution: athena.getQueryExecution(requiredString(input, 'QueryExecutionId')) }),
      GetQueryResults: (input) => {
        const nextToken = optionalString(input, 'NextToken');
        const page = athena.getQueryResults(requiredString(input, 'QueryExecutionId'), {
          ...(nextToken !== undefined ? { nextToken } : {}),
          ...(typeof input.MaxResults === 'number' ? { maxResults: input.MaxResults } : {}),
        });
        return {
          UpdateCount: 0,
          ResultSet: {
            Rows: page.rows.map((row) => ({ Data: row.map((value) => (value === null ? {} : { VarCharValue: value })) })),
            ResultSetMetadata: { ColumnInfo: columnInfo(page.columns) },
          },
          ...(page.nextToken !== undefined ? { NextToken: page.nextToken } : {}),
        };
      },
      StopQueryExecution: (input) => {
        athena.stopQueryExecution(requiredString(input, 'QueryExecutionId'));
        return {};
      },
      CreateWorkGroup: (input) => {
        const configuration = input.Configuration as WorkGroupConfiguration | undefined;
        const cutoff = configuration?.BytesScannedCutoffPerQuery;
        if (cutoff !== undefined && cutoff < MIN_BYTES_SCANNED_CUTOFF) {
          throw athenaErrors.invalidRequest(`1 validation error detected: Value '${cutoff}' at 'configuration.bytesScannedCutoffPerQuery' failed to satisfy constraint: Member must have value greater than or equal to ${MIN_BYTES_SCANNED_CUTOFF}`);
        }
        const description = optionalString(input, 'Description');
        athena.createWorkGroup({ name: requiredString(input, 'Name'), ...(description !== undefined ? { description } : {}), ...(configuration ? { configuration } : {}) });
        return {};
      },
      GetWorkGroup: (input) => ({ WorkGroup: athena.getWorkGroup(requiredString(input, 'WorkGroup')) }),
      ListWorkGroups: () => ({ WorkGroups: athena.listWorkGroups() }),
    };
  }
}

function optionalString(input: Record<string, unknown>, name: string): string | undefined {
  const value = input[name];
  return typeof value === 'string' ? value : undefined;
}

function requiredString(input: Record<string, unknown>, name: string): string {
  const value = optionalString(input, name);
  if (value === undefined) throw athenaErrors.invalidRequest(`1 validation error detected: Value null at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`);
  return value;
}
