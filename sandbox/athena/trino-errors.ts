// DuckDB's errors said as Athena (Trino) says them: the error category Athena puts in front of the
// message (SYNTAX_ERROR, TYPE_MISMATCH, ...) and Trino's wording, so the runner meets the shape it
// meets on AWS. An error DuckDB words in a way not listed here keeps DuckDB's text after the category.
import { QueryFailure } from './errors';

// AthenaError.ErrorType: 1001 for a statement Athena cannot plan, 1002 for data that fails at run time.
const ERROR_TYPE_SYNTAX = 1001;
const ERROR_TYPE_USER_DATA = 1002;

const TRINO_TYPE_NAMES: Readonly<Record<string, string>> = {
  VARCHAR: 'varchar',
  BIGINT: 'bigint',
  INTEGER: 'integer',
  SMALLINT: 'smallint',
  TINYINT: 'tinyint',
  DOUBLE: 'double',
  FLOAT: 'real',
  BOOLEAN: 'boolean',
  DATE: 'date',
  TIMESTAMP: 'timestamp(3)',
  'TIMESTAMP WITH TIME ZONE': 'timestamp(3) with time zone',
};

/** Trino's name for a DuckDB type name (`TIMESTAMP` is `timestamp(3)`: Athena keeps milliseconds). */
export function trinoTypeName(duckdbType: string): string {
  return TRINO_TYPE_NAMES[duckdbType] ?? duckdbType.toLowerCase();
}

export function trinoFailure(error: unknown): QueryFailure {
  const full = (error as Error).message;
  // DuckDB appends the query line and a caret; Athena's message is one line.
  const message = full.split('\n')[0]!.trim();
  const translated = translate(message);
  return new QueryFailure(
    `${translated.category}: ${translated.message}`,
    translated.category === 'INVALID_CAST_ARGUMENT' ? ERROR_TYPE_USER_DATA : ERROR_TYPE_SYNTAX,
    { cause: error },
  );
}

function translate(message: string): { category: string; message: string } {
  let m: RegExpExecArray | null;
  if ((m = /^Binder Error: Cannot compare values of type (.+?) and type (.+?)(?: in .*)? - an explicit cast is required/.exec(message))) {
    return { category: 'TYPE_MISMATCH', message: `Cannot apply operator: ${trinoTypeName(m[1]!)} = ${trinoTypeName(m[2]!)}` };
  }
  if ((m = /^Binder Error: No function matches the given name and argument types '([^(]+)\((.*)\)'/.exec(message))) {
    const args = m[2]!.split(', ').map(trinoTypeName);
    const operator = m[1]!;
    if (/^[-+*/%<>=!]+$/.test(operator) && args.length === 2)
      return { category: 'TYPE_MISMATCH', message: `Cannot apply operator: ${args[0]} ${operator} ${args[1]}` };
    return { category: 'FUNCTION_NOT_FOUND', message: `Unexpected parameters (${args.join(', ')}) for function ${operator}` };
  }
  if ((m = /^Binder Error: Cannot mix values of type (.+?) and (.+?) in COALESCE/.exec(message))) {
    return { category: 'TYPE_MISMATCH', message: `All COALESCE operands must be the same type: ${trinoTypeName(m[1]!)}` };
  }
  if ((m = /^Conversion Error: Could not convert string '(.*)' to (\w+)/.exec(message))) {
    const target =
      { INT64: 'bigint', INT32: 'integer', INT16: 'smallint', INT8: 'tinyint', DOUBLE: 'double', FLOAT: 'real', BOOL: 'boolean' }[m[2]!] ??
      m[2]!.toLowerCase();
    return { category: 'INVALID_CAST_ARGUMENT', message: `Cannot cast '${m[1]}' to ${target.toUpperCase()}` };
  }
  if ((m = /^Conversion Error: .*?'(.*)'/.exec(message)))
    return { category: 'INVALID_CAST_ARGUMENT', message: `Value cannot be cast: '${m[1]}'` };
  if ((m = /^Catalog Error: Table with name (\S+) does not exist/.exec(message)))
    return { category: 'TABLE_NOT_FOUND', message: `Table '${m[1]}' does not exist` };
  if ((m = /^Catalog Error: Scalar Function with name (\S+) does not exist/.exec(message)))
    return { category: 'FUNCTION_NOT_FOUND', message: `Function '${m[1]}' not registered` };
  if ((m = /^Binder Error: Referenced column "?([^"]+)"? not found/.exec(message)))
    return { category: 'COLUMN_NOT_FOUND', message: `Column '${m[1]}' cannot be resolved` };
  if (/^Parser Error:/.test(message)) return { category: 'SYNTAX_ERROR', message: message.replace(/^Parser Error: /, '') };
  return { category: 'GENERIC_USER_ERROR', message };
}
