// Glue on the wire (awsJson1.1, `AWSGlue.*`): the catalog operations our stacks and the runner
// use, answering from the GlueWorld in the SDK's request and response shapes.
import type { DatabaseInput, TableInput } from '@aws-sdk/client-glue';
import { ServiceError } from '../errors';
import { JsonInputReader, type JsonInput } from '../http/json-input';
import { JsonProtocolHandler, type JsonOperation } from '../http/json-protocol';
import { optional } from '../optional';
import { decodeOffsetToken, pageFrom } from '../page-token';
import type { GlueWorld } from './world';

const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;

const members = new JsonInputReader((message) => new ServiceError('InvalidInputException', 400, message));

export class GlueHandler extends JsonProtocolHandler {
  readonly name = 'glue';
  readonly signingName = 'glue';
  readonly targetPrefix = 'AWSGlue';
  protected readonly operations: Readonly<Record<string, JsonOperation>>;

  constructor(glue: GlueWorld) {
    super();
    this.operations = {
      CreateDatabase: (input) => {
        glue.createDatabase(members.requiredObject<DatabaseInput>(input, 'DatabaseInput'));
        return {};
      },
      GetDatabase: (input) => ({ Database: glue.getDatabase(members.requiredString(input, 'Name')) }),
      GetDatabases: (input) => {
        const page = paginate(glue.listDatabases(), input, 'GetDatabases');
        return { DatabaseList: page.items, ...optional('NextToken', page.nextToken) };
      },
      DeleteDatabase: (input) => {
        glue.deleteDatabase(members.requiredString(input, 'Name'));
        return {};
      },
      CreateTable: (input) => {
        glue.createTable(members.requiredString(input, 'DatabaseName'), members.requiredObject<TableInput>(input, 'TableInput'));
        return {};
      },
      GetTable: (input) => ({ Table: glue.getTable(members.requiredString(input, 'DatabaseName'), members.requiredString(input, 'Name')) }),
      GetTables: (input) => {
        const page = paginate(
          glue.listTables(members.requiredString(input, 'DatabaseName'), members.optionalString(input, 'Expression')),
          input,
          'GetTables',
        );
        return { TableList: page.items, ...optional('NextToken', page.nextToken) };
      },
      UpdateTable: (input) => {
        glue.updateTable(members.requiredString(input, 'DatabaseName'), members.requiredObject<TableInput>(input, 'TableInput'));
        return {};
      },
      DeleteTable: (input) => {
        glue.deleteTable(members.requiredString(input, 'DatabaseName'), members.requiredString(input, 'Name'));
        return {};
      },
    };
  }
}

/** A page of a Glue listing; a token continues only the operation that issued it. */
function paginate<T>(items: readonly T[], input: JsonInput, operation: string): { readonly items: T[]; readonly nextToken?: string } {
  const max = members.integerBetween(input, 'MaxResults', 1, MAX_PAGE, DEFAULT_PAGE);
  const token = members.optionalString(input, 'NextToken');
  const start = token === undefined || token === '' ? 0 : decodeOffsetToken(token, operation);
  if (start === undefined) throw new ServiceError('InvalidInputException', 400, 'Invalid NextToken');
  return pageFrom(items, start, max, operation);
}
