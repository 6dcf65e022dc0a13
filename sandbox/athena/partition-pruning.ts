// Which partitions a query can touch, when that is provable from its text: a single-table SELECT
// whose WHERE is a plain conjunction containing `dt = '<value>'` (or `dt IN (...)`). Athena prunes
// projected partitions the same way, so DataScannedInBytes and the bytes-scanned cutoff see only
// the partitions read. Anything less certain (OR, subqueries, joins, BETWEEN) loads every partition.

/** The partition values the query is restricted to, or undefined when it may read any. */
export function restrictedPartitionValues(sql: string, partitionKey: string): string[] | undefined {
  const masked = maskLiteralsAndComments(sql);
  if ((masked.match(/\bselect\b/gi) ?? []).length !== 1) return undefined;
  if (/\b(union|intersect|except|join)\b/i.test(masked)) return undefined;
  const top = maskNested(masked);
  const where = /\bwhere\b/i.exec(top);
  if (!where) return undefined;
  const start = where.index + where[0].length;
  const endMatch = /\b(group|order|limit|having|offset|window)\b/i.exec(top.slice(start));
  const end = endMatch ? start + endMatch.index : top.length;
  const clause = top.slice(start, end);
  if (/\b(or|between)\b/i.test(clause)) return undefined;
  const boundaries = [...clause.matchAll(/\band\b/gi)].map((m) => start + m.index);
  const cuts = [start, ...boundaries, end];
  for (let i = 0; i < cuts.length - 1; i++) {
    const from = i === 0 ? cuts[i]! : cuts[i]! + 3;
    const values = partitionPredicate(stripParens(sql.slice(from, cuts[i + 1]).trim()), partitionKey);
    if (values) return values;
  }
  return undefined;
}

function partitionPredicate(conjunct: string, key: string): string[] | undefined {
  const column = `(?:(?:"[^"]+"|\\w+)\\.)?(?:"${key}"|${key})`;
  const literal = `'((?:[^']|'')*)'`;
  const equals =
    new RegExp(`^${column}\\s*=\\s*${literal}$`, 'i').exec(conjunct) ?? new RegExp(`^${literal}\\s*=\\s*${column}$`, 'i').exec(conjunct);
  if (equals) return [equals[1]!.replace(/''/g, "'")];
  const inList = new RegExp(`^${column}\\s+in\\s*\\(((?:\\s*'(?:[^']|'')*'\\s*,?)+)\\)$`, 'i').exec(conjunct);
  if (inList) return [...inList[1]!.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1]!.replace(/''/g, "'"));
  return undefined;
}

function stripParens(text: string): string {
  let out = text;
  while (out.startsWith('(') && out.endsWith(')') && balanced(out.slice(1, -1))) out = out.slice(1, -1).trim();
  return out;
}

function balanced(text: string): boolean {
  let depth = 0;
  for (const char of maskLiteralsAndComments(text)) {
    if (char === '(') depth++;
    else if (char === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

/** Same length as the input; string literal contents become `x`, comments become spaces. */
function maskLiteralsAndComments(sql: string): string {
  return sql
    .replace(/'(?:[^']|'')*'/g, (m) => `'${'x'.repeat(m.length - 2)}'`)
    .replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, (m) => ' '.repeat(m.length));
}

/** Same length; everything inside parentheses becomes spaces, so keywords found are top-level. */
function maskNested(masked: string): string {
  let depth = 0;
  let out = '';
  for (const char of masked) {
    if (char === '(') {
      depth++;
      out += ' ';
    } else if (char === ')') {
      depth--;
      out += ' ';
    } else out += depth > 0 ? ' ' : char;
  }
  return out;
}
