// The type errors Trino raises that DuckDB lets through: DuckDB casts a string to the other side
// of a comparison (`size <> ''` binds), Trino refuses it. Found in the query text before it runs,
// against the types of the columns the query's tables declare, and reported as Trino words them.
import { QueryFailure } from './errors';

// AthenaError.ErrorType for a statement Athena cannot plan.
const ERROR_TYPE_SYNTAX = 1001;

const COMPARISONS = new Set(['=', '<>', '!=', '<', '>', '<=', '>=']);

interface Token {
  readonly kind: 'word' | 'string' | 'symbol';
  readonly text: string;
  /** Offset in the query text, for Trino's `line L:C:` prefix. */
  readonly at: number;
}

/**
 * Throws Trino's TYPE_MISMATCH when a column of a non-string type is compared with a string
 * literal, or given a string literal as a COALESCE fallback. `columnTypes` maps a lower-cased
 * column name to its Trino type; a name two tables type differently is left out by the caller.
 */
export function checkStrictTypes(sql: string, columnTypes: ReadonlyMap<string, string>): void {
  const tokens = tokenize(sql);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === 'symbol' && COMPARISONS.has(token.text)) {
      const left = columnBefore(tokens, i, columnTypes);
      const right = tokens[i + 1];
      if (left && right?.kind === 'string')
        throw mismatch(sql, left.token, `Cannot apply operator: ${left.type} ${token.text} ${literalType(right)}`);
      const after = columnAfter(tokens, i + 1, columnTypes);
      const before = tokens[i - 1];
      if (after && before?.kind === 'string')
        throw mismatch(sql, before, `Cannot apply operator: ${literalType(before)} ${token.text} ${after.type}`);
    }
    if (token.kind === 'word' && token.text.toLowerCase() === 'coalesce' && tokens[i + 1]?.text === '(') {
      const column = columnAfter(tokens, i + 2, columnTypes);
      const comma = column ? tokens[column.next] : undefined;
      const fallback = column ? tokens[column.next + 1] : undefined;
      if (column && comma?.text === ',' && fallback?.kind === 'string')
        throw mismatch(sql, token, `All COALESCE operands must be the same type: ${column.type}`);
    }
  }
}

/** The column that ends just before tokens[end] (`n.size`, `"size"`), with its type, if typed. */
function columnBefore(
  tokens: readonly Token[],
  end: number,
  columnTypes: ReadonlyMap<string, string>,
): { token: Token; type: string } | undefined {
  const last = tokens[end - 1];
  if (last?.kind !== 'word') return undefined;
  const type = columnTypes.get(unquote(last.text));
  if (type === undefined) return undefined;
  let first = end - 1;
  while (tokens[first - 1]?.text === '.' && tokens[first - 2]?.kind === 'word') first -= 2;
  // `f(x) = ...` or `CAST(x AS t) = ...` end in ')', never in the word: only a bare column counts.
  return { token: tokens[first]!, type };
}

/** The column starting at tokens[start] (`n.size`), with its type and the index after it. */
function columnAfter(
  tokens: readonly Token[],
  start: number,
  columnTypes: ReadonlyMap<string, string>,
): { type: string; next: number } | undefined {
  let i = start;
  if (tokens[i]?.kind !== 'word') return undefined;
  while (tokens[i + 1]?.text === '.' && tokens[i + 2]?.kind === 'word') i += 2;
  const word = tokens[i]!;
  // A function call (`lower(key)`) is not a column.
  if (tokens[i + 1]?.text === '(') return undefined;
  const type = columnTypes.get(unquote(word.text));
  return type === undefined ? undefined : { type, next: i + 1 };
}

function literalType(token: Token): string {
  const value = token.text.slice(1, -1).replace(/''/g, "'");
  return `varchar(${[...value].length})`;
}

function mismatch(sql: string, at: Token, message: string): QueryFailure {
  const before = sql.slice(0, at.at).split('\n');
  return new QueryFailure(`TYPE_MISMATCH: line ${before.length}:${before[before.length - 1]!.length + 1}: ${message}`, ERROR_TYPE_SYNTAX);
}

function unquote(word: string): string {
  return word.startsWith('"') ? word.slice(1, -1).replace(/""/g, '"').toLowerCase() : word.toLowerCase();
}

function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  const pattern =
    /(\s+|--[^\n]*|\/\*[\s\S]*?\*\/)|('(?:[^']|'')*')|([A-Za-z_][A-Za-z0-9_]*|"(?:[^"]|"")*")|(<>|!=|<=|>=|\d+(?:\.\d+)?|.)/gy;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(sql)) !== null && match[0] !== '') {
    if (match[1] !== undefined) continue;
    if (match[2] !== undefined) {
      // A typed literal (TIMESTAMP '...', DATE '...', INTERVAL '1' DAY) is not a varchar.
      const previous = tokens[tokens.length - 1];
      if (previous?.kind === 'word' && /^(timestamp|date|time|interval|decimal|varchar|char|json|x)$/i.test(previous.text)) {
        tokens.pop();
        tokens.push({ kind: 'symbol', text: 'typed-literal', at: previous.at });
        continue;
      }
    }
    tokens.push({ kind: match[2] !== undefined ? 'string' : match[3] !== undefined ? 'word' : 'symbol', text: match[0], at: match.index });
  }
  return tokens;
}
