// Athena on the wire (awsJson1.1, `AmazonAthena.*`): queries and workgroups in the SDK's shapes,
// answering from the AthenaWorld.
import type { QueryExecutionContext, ResultConfiguration, WorkGroupConfiguration } from '@aws-sdk/client-athena';
import { JsonInputReader, validationMessage } from '../http/json-input';
import { JsonProtocolHandler, type JsonOperation } from '../http/json-protocol';
import { optional } from '../optional';
import { athenaErrors } from './errors';
import { columnInfo, type AthenaWorld } from './world';

// CreateWorkGroup refuses per-query cutoffs below 10 MB (the API's documented minimum).
const MIN_BYTES_SCANNED_CUTOFF = 10_000_000;

const members = new JsonInputReader((message) => athenaErrors.invalidRequest(message));

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
        const workGroup = members.optionalString(input, 'WorkGroup');
        const token = members.optionalString(input, 'ClientRequestToken');
        const id = athena.startQueryExecution({
          queryString: members.requiredString(input, 'QueryString'),
          ...(workGroup !== undefined ? { workGroup } : {}),
          ...(context?.Database !== undefined ? { database: context.Database } : {}),
          ...(input.ResultConfiguration !== undefined ? { resultConfiguration: input.ResultConfiguration as ResultConfiguration } : {}),
          ...(token !== undefined ? { clientRequestToken: token } : {}),
        });
        return { QueryExecutionId: id };
      },
      GetQueryExecution: (input) => ({ QueryExecution: athena.getQueryExecution(members.requiredString(input, 'QueryExecutionId')) }),
      GetQueryResults: (input) => {
        const nextToken = members.optionalString(input, 'NextToken');
        const page = athena.getQueryResults(members.requiredString(input, 'QueryExecutionId'), {
          ...(nextToken !== undefined ? { nextToken } : {}),
          ...optional('maxResults', members.optionalNumber(input, 'MaxResults')),
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
        athena.stopQueryExecution(members.requiredString(input, 'QueryExecutionId'));
        return {};
      },
      CreateWorkGroup: (input) => {
        const configuration = input.Configuration as WorkGroupConfiguration | undefined;
        const cutoff = configuration?.BytesScannedCutoffPerQuery;
        if (cutoff !== undefined && cutoff < MIN_BYTES_SCANNED_CUTOFF) {
          throw athenaErrors.invalidRequest(
            validationMessage(
              'Configuration.BytesScannedCutoffPerQuery',
              cutoff,
              `Member must have value greater than or equal to ${MIN_BYTES_SCANNED_CUTOFF}`,
            ),
          );
        }
        const description = members.optionalString(input, 'Description');
        athena.createWorkGroup({
          name: members.requiredString(input, 'Name'),
          ...(description !== undefined ? { description } : {}),
          ...(configuration ? { configuration } : {}),
        });
        return {};
      },
      GetWorkGroup: (input) => ({ WorkGroup: athena.getWorkGroup(members.requiredString(input, 'WorkGroup')) }),
      ListWorkGroups: () => ({ WorkGroups: athena.listWorkGroups() }),
    };
  }
}
