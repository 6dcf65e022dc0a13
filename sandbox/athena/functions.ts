// The Trino functions the runner's SQL uses, made to behave on DuckDB as Trino documents them:
// each difference the sandbox corrects is one row of TRINO_DIFFERENCES, installed as a temporary
// macro (which DuckDB resolves before its built-in of the same name) and tested one by one.

export interface TrinoDifference {
  /** The function as the query text calls it. */
  readonly name: string;
  /** What Trino does that DuckDB does not, in one sentence. */
  readonly trino: string;
  /** The macro that gives DuckDB Trino's behaviour. `system.main.x` is DuckDB's own function. */
  readonly macro: string;
}

export const TRINO_DIFFERENCES: readonly TrinoDifference[] = [
  {
    name: 'url_encode',
    // Trino escapes everything but [A-Za-z0-9.*_-] and writes a space as '+'; DuckDB writes '%20',
    // keeps '~' and escapes '*'. '%' itself becomes %25, so '%20' in DuckDB's output is a space.
    trino: "writes a space as '+', escapes '~' as %7E and keeps '*'",
    macro:
      "CREATE OR REPLACE TEMP MACRO url_encode(value) AS replace(replace(replace(system.main.url_encode(value), '%20', '+'), '~', '%7E'), '%2A', '*')",
  },
  {
    name: 'url_decode',
    // A literal '+' arrives as %2B, so every bare '+' is an encoded space.
    trino: "decodes '+' as a space",
    macro: "CREATE OR REPLACE TEMP MACRO url_decode(value) AS system.main.url_decode(replace(value, '+', ' '))",
  },
  {
    name: 'regexp_like',
    // Both search for the pattern anywhere in the value (not a whole-string match).
    trino: 'exists (DuckDB calls it regexp_matches)',
    macro: 'CREATE OR REPLACE TEMP MACRO regexp_like(value, pattern) AS regexp_matches(value, pattern)',
  },
  {
    name: 'from_iso8601_timestamp',
    // The session time zone is UTC (set by the engine), as Athena's is.
    trino: 'exists, and returns timestamp(3) with time zone',
    macro: 'CREATE OR REPLACE TEMP MACRO from_iso8601_timestamp(value) AS CAST(value AS TIMESTAMPTZ)',
  },
];

/** The statements that make a DuckDB connection answer these functions as Trino does. */
export function trinoFunctionStatements(): string {
  return TRINO_DIFFERENCES.map((d) => `${d.macro};`).join('\n');
}
