// Glue on the wire (awsJson1.1, `AWSGlue.*`): the catalog operations our stacks and the runner
// use, answering from the GlueWorld in the SDK's request and response shapes.
import type { DatabaseInput, TableInput } from '@aws-sdk/client-glue';
import { ServiceError } from '../errors';
import { JsonProtocolHandler, type JsonOperation } from '../http/json-protocol';
import type { GlueWorld } from './world';

const DEFAULT_PAGE = 100;

export class GlueHandler extends JsonProtocolHandler {
  readonly name = 'glue';
  readonly signingName = 'glue';
  readonly targetPrefix = 'AWSGlue';
  protected readonly operations: Readonly<Record<string, JsonOperation>>;

  constructor(glue: GlueWorld) {
    super();
    this.operations = {
      CreateDatabase: (input) => {
        glue.createDatabase(requiredObject<DatabaseInput>(input, 'DatabaseInput'));
        return {};
      },
      GetDatabase: (input) => ({ Database: glue.getDatabase(requiredString(input, 'Name')) }),
      GetDatabases: (input) => {
        const page = paginate(glue.listDatabases(), input);
        return { DatabaseList: page.items, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
      },
      DeleteDatabase: (input) => {
        glue.deleteDatabase(requiredString(input, 'Name'));
        return {};
      },
      CreateTable: (input) => {
        glue.createTable(requiredString(input, 'DatabaseName'), requiredObject<TableInput>(input, 'TableInput'));
        return {};
      },
      GetTable: (input) => ({ Table: glue.getTable(requiredString(input, 'DatabaseName'), requiredString(input, 'Name')) }),
      GetTables: (input) => {
        const expression = typeof input.Expression === 'string' ? input.Expression : undefined;
        const page = paginate(glue.listTables(requiredString(input, 'DatabaseName'), expression), input);
        return { TableList: page.items, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
      },
      UpdateTable: (input) => {
        glue.updateTable(requiredString(input, 'DatabaseName'), requiredObject<TableInput>(input, 'TableInput'));
        return {};
      },
      DeleteTable: (input) => {
        glue.deleteTable(requiredString(input, 'DatabaseName'), requiredString(input, 'Name'));
        return {};
      },
    };
  }
}

interface Page<T> {
  readonly items: T[];
  readonly nextToken?: string;
}

/** Glue's NextToken is opaque; an offset in base64 keeps pages stable while nothing changes. */
function paginate<T>(items: readonly T[], input: Record<string, unknown>): Page<T> {
  const max = typeof input.MaxResults === 'number' ? input.MaxResults : DEFAULT_PAGE;
  if (!Number.isInteger(max) || max < 1 || max > 1000) {
    throw new ServiceError('InvalidInputException', 400, `1 validation error detected: Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 1000`);
  }
  const start = typeof input.NextToken === 'string' && input.NextToken !== '' ? decodeToken(input.NextToken) : 0;
  const end = start + max;
  return { items: items.slice(start, end), ...(end < items.length ? { nextToken: Buffer.from(String(end)).toString('base64') } : {}) };
}

function decodeToken(token: string): number {
  const offset = Number(Buffer.from(token, 'base64').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0) throw new ServiceError('InvalidInputException', 400, 'Invalid NextToken');
  return offset;
}

function requiredString(input: Record<string, unknown>, name: string): string {
  const value = input[name];
  if (typeof value !== 'string') throw missing(name);
  return value;
}

function requiredObject<T>(input: Record<string, unknown>, name: string): T {
  const value = input[name];
  if (typeof value !== 'object' || value === null) throw missing(name);
  return value as T;
}

function missing(name: string): ServiceError {
  return new ServiceError('InvalidInputException', 400, `1 validation error detected: Value null at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`);
}
