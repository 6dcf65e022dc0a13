// Athena's UNLOAD statement, pure: parses `UNLOAD (<select>) TO 's3://...' WITH (...)`. The engine
// (engine.ts runUnloadQuery) writes the TEXTFILE files (no header, values unquoted, NULL as `\N`).
import { AthenaSandboxLimitation, QueryFailure } from './errors';

export interface UnloadStatement {
  /** The SELECT inside the parentheses, run unchanged by the engine. */
  readonly select: string;
  readonly targetBucket: string;
  /** The target prefix, always ending in `/` (Athena treats TO as a folder). */
  readonly targetPrefix: string;
  readonly fieldDelimiter: string;
  readonly compression: 'GZIP' | 'NONE';
}

// AthenaError.ErrorType for a statement Athena cannot parse or plan.
const ERROR_TYPE_SYNTAX = 1001;

/** The UNLOAD statement in `sql`, or undefined when the text is not an UNLOAD. */
export function parseUnload(sql: string): UnloadStatement | undefined {
  const text = sql.trim();
  if (!/^unload\s*\(/i.test(text)) return undefined;
  const open = text.indexOf('(');
  const close = matchingParenthesis(text, open);
  const select = text.slice(open + 1, close).trim();
  const rest = /^\s*to\s+'s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/((?:[^']|'')*)'\s*(?:with\s*\(([\s\S]*)\))?\s*;?\s*$/i.exec(
    text.slice(close + 1),
  );
  if (!rest) throw syntaxError("UNLOAD needs TO 's3://bucket/prefix/' after the SELECT, then optionally WITH (property = 'value', ...)");
  const properties = parseProperties(rest[3] ?? '');
  // The sandbox writes TEXTFILE only; the other formats are binary encoders it does not carry.
  const format = (properties.get('format') ?? 'PARQUET').toUpperCase();
  if (format !== 'TEXTFILE') throw new AthenaSandboxLimitation(`UNLOAD format ${format} is not supported by the sandbox (TEXTFILE only)`);
  const compression = (properties.get('compression') ?? 'GZIP').toUpperCase();
  if (compression !== 'GZIP' && compression !== 'NONE')
    throw new AthenaSandboxLimitation(`UNLOAD compression ${compression} is not supported by the sandbox (GZIP, NONE)`);
  const fieldDelimiter = properties.get('field_delimiter') ?? '\u0001';
  if (fieldDelimiter.length !== 1) throw syntaxError(`field_delimiter must be one character. Received: ${JSON.stringify(fieldDelimiter)}`);
  const prefix = rest[2]!.replace(/''/g, "'");
  return {
    select,
    targetBucket: rest[1]!,
    targetPrefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`,
    fieldDelimiter,
    compression,
  };
}

function matchingParenthesis(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const char = text[i]!;
    if (char === "'") {
      // A string literal may hold parentheses: skip it whole ('' is a quote inside it).
      const end = /^'(?:[^']|'')*'/.exec(text.slice(i));
      if (!end) break;
      i += end[0].length - 1;
    } else if (char === '(') depth++;
    else if (char === ')' && --depth === 0) return i;
  }
  throw syntaxError('UNLOAD (<select>) has an unbalanced parenthesis');
}

function parseProperties(text: string): Map<string, string> {
  const properties = new Map<string, string>();
  const pattern = /\s*([a-z_]+)\s*=\s*'((?:[^']|'')*)'\s*(,|$)/iy;
  let match: RegExpExecArray | null;
  while (pattern.lastIndex < text.length && (match = pattern.exec(text)) !== null) {
    properties.set(match[1]!.toLowerCase(), match[2]!.replace(/''/g, "'"));
    if (match[3] === '') break;
  }
  if (text.trim() !== '' && pattern.lastIndex !== text.length)
    throw syntaxError(`Cannot read the WITH properties of UNLOAD: ${text.trim()}`);
  return properties;
}

function syntaxError(message: string): QueryFailure {
  return new QueryFailure(`SYNTAX_ERROR: ${message}`, ERROR_TYPE_SYNTAX);
}
