// GitHub-flavoured markdown from data: every value the report did not write itself (a key, an id, a
// message, a reason, a command) goes through here, so none can add a heading, link, image, HTML,
// emphasis, list item or table row, nor end its code span, code block or table cell. Pure.
import { showControls } from './control-characters';

/**
 * Every ASCII punctuation character: CommonMark lets a backslash escape each one, and each can start
 * or end some construct (`#` a heading, `[` a link, `*` emphasis, `|` a cell, `:` an autolink, ...).
 */
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/g;

/** Escaped as HTML instead, so neither a tag nor an entity can form, in any renderer. */
const AS_ENTITY: Readonly<Record<string, string>> = { '<': '&lt;', '>': '&gt;', '&': '&amp;' };

/**
 * Spaces or tabs at either end of a value: at the start of a line they would indent it into a code
 * block, at its end make a hard line break. As character references they are only text.
 */
const EDGE_WHITESPACE = /^[ \t]+|[ \t]+$/g;

const asReferences = (run: string): string => [...run].map((c) => `&#${c.codePointAt(0)};`).join('');

/** A value as plain text, in running text or a table cell: shows exactly its characters, makes no markup. */
export function text(value: string): string {
  return showControls(value)
    .replace(ASCII_PUNCTUATION, (c) => AS_ENTITY[c] ?? `\\${c}`)
    .replace(EDGE_WHITESPACE, asReferences);
}

const longestBacktickRun = (value: string): number => Math.max(0, ...(value.match(/`+/g) ?? []).map((run) => run.length));

/**
 * A value as an inline code span for running text: the fence is one backtick longer than any run in
 * the value, so none can close it, and a value starting or ending with a backtick or a space is padded
 * with one space each side, which CommonMark strips again. Line breaks are shown as escapes: a code
 * span would turn them into spaces, and a table row would end.
 */
export function code(value: string): string {
  const shown = showControls(value);
  if (shown === '') return '*empty*';
  const fence = '`'.repeat(longestBacktickRun(shown) + 1);
  // Content that is only spaces is kept as is by CommonMark, so it needs no padding.
  const pad = /^[` ]|[` ]$/.test(shown) && shown.trim() !== '' ? ' ' : '';
  return `${fence}${pad}${shown}${pad}${fence}`;
}

/**
 * A value as a code span inside a table cell. GFM splits a row into cells before it reads code spans,
 * so a pipe there is written `\|` (the table removes the backslash). A pipe that follows a backslash
 * cannot be written inside a code span at all (GitHub reads `\\|` as a backslash, then the end of the
 * cell), so such a value is shown as plain text instead.
 */
export function cellCode(value: string): string {
  const shown = showControls(value);
  if (/\\\|/.test(shown)) return text(value);
  return code(value).replace(/\|/g, '\\|');
}

/**
 * A value as a fenced code block, line breaks kept: the fence is backticks, at least three and one
 * more than any run in the value, so no line of it can close the block.
 */
export function codeBlock(value: string): string[] {
  const shown = showControls(value, { keepLineBreaks: true });
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(shown) + 1));
  return [fence, ...shown.split('\n'), fence];
}

/** A cell: markdown from `text`, `cellCode` or the report's own words, or a number shown en-US. */
export type Cell = string | number;

/**
 * A GFM table, one line per row. Header cells are the report's own words; body cells are markdown
 * already made safe for a cell. A column of numbers only is right-aligned.
 */
export function table(header: readonly string[], rows: readonly (readonly Cell[])[]): string[] {
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number'));
  const cell = (c: Cell): string => (typeof c === 'number' ? c.toLocaleString('en-US') : c);
  return [
    `| ${header.join(' | ')} |`,
    `| ${numeric.map((right) => (right ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
}
