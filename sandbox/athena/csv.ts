// CSV as Athena writes query results (RFC 4180, every value quoted, NULL as an empty unquoted
// field) and as OpenCSVSerde reads table data (separator, quote and escape characters).

/** One result row: every value double-quoted, quotes doubled; null stays an empty field. */
export function resultCsvLine(values: readonly (string | null)[]): string {
  return values.map((v) => (v === null ? '' : `"${v.replace(/"/g, '""')}"`)).join(',') + '\n';
}

export interface CsvDialect {
  readonly separator: string;
  readonly quote: string;
  /** OpenCSVSerde's escapeChar: the next character is taken literally. */
  readonly escape: string;
}

/** OpenCSVSerde's defaults. */
export const OPEN_CSV_DEFAULTS: CsvDialect = { separator: ',', quote: '"', escape: '\\' };

/** Parses CSV text row by row without splitting the whole text into lines first. */
export function* parseCsv(text: string, dialect: CsvDialect = OPEN_CSV_DEFAULTS): Generator<string[]> {
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStarted = false;
  let nextEscape = text.indexOf(dialect.escape);
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === dialect.escape && i + 1 < text.length) {
      field += text[++i];
      fieldStarted = true;
    } else if (quoted) {
      // Fast path: copy up to the next quote at once when no escape character lies before it.
      const close = text.indexOf(dialect.quote, i);
      // The next escape position is cached: searching afresh per field would be quadratic.
      if (nextEscape !== -1 && nextEscape < i) nextEscape = text.indexOf(dialect.escape, i);
      if (close > i && (nextEscape === -1 || nextEscape > close)) {
        field += text.slice(i, close);
        i = close - 1;
        continue;
      }
      if (char === dialect.quote) {
        if (text[i + 1] === dialect.quote) {
          field += char;
          i++;
        } else quoted = false;
      } else field += char;
    } else if (char === dialect.quote) {
      quoted = true;
      fieldStarted = true;
    } else if (char === dialect.separator) {
      row.push(field);
      field = '';
      fieldStarted = false;
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      if (fieldStarted || field !== '' || row.length > 0) row.push(field);
      if (row.length > 0) yield row;
      row = [];
      field = '';
      fieldStarted = false;
    } else {
      field += char;
      fieldStarted = true;
    }
  }
  if (fieldStarted || field !== '' || row.length > 0) {
    row.push(field);
    yield row;
  }
}
