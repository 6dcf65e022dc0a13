// Test support: markdown read as GitHub renders it (CommonMark, GFM tables and strikethrough, bare URLs
// made links, raw HTML passed through), by markdown-it; and what a document's markup is, apart from its text.
import MarkdownIt from 'markdown-it';

type Token = MarkdownIt.Token;

const parser = new MarkdownIt({ html: true, linkify: true });

/** Block tokens, each inline token with its children. */
export function parseMarkdown(markdown: string): Token[] {
  return parser.parse(markdown, {});
}

export function renderMarkdown(markdown: string): string {
  return parser.render(markdown);
}

const flat = (tokens: readonly Token[]): Token[] => tokens.flatMap((t) => [t, ...flat(t.children ?? [])]);

/** Tokens that only carry text: how many there are depends on the text, not on the markup. */
const TEXT_ONLY = new Set(['text', 'inline']);

/**
 * The markup of a document, without its text: every heading, paragraph, list and item, table, row
 * and cell, code span and block, emphasis, link, image and piece of HTML, in order, with its tag.
 */
export function markupOf(markdown: string): string[] {
  return flat(parseMarkdown(markdown))
    .filter((t) => !TEXT_ONLY.has(t.type))
    .map((t) => `${t.type}:${t.tag}`);
}

/** How many tokens of each of these types the document has. */
export function countsOf(markdown: string, types: readonly string[]): Record<string, number> {
  const all = flat(parseMarkdown(markdown));
  return Object.fromEntries(types.map((type) => [type, all.filter((t) => t.type === type).length]));
}

/** An inline token as a reader sees it: its text and code spans, without markup. */
const shownText = (inline: Token): string =>
  (inline.children ?? []).map((c) => (c.type === 'softbreak' ? '\n' : c.type === 'image' ? '' : c.content)).join('');

/** The text of every heading, paragraph, list item line and table cell, in order. */
export function textsOf(markdown: string): string[] {
  return parseMarkdown(markdown)
    .filter((t) => t.type === 'inline')
    .map(shownText);
}

/** Each heading as `h2 text`. */
export function headingsOf(markdown: string): string[] {
  const tokens = parseMarkdown(markdown);
  return tokens.flatMap((t, i) => {
    const inline = tokens[i + 1];
    return t.type === 'heading_open' && inline ? [`${t.tag} ${shownText(inline)}`] : [];
  });
}

/** The rows of every table, each row as the texts of its cells (header row first). */
export function tablesOf(markdown: string): string[][][] {
  const tables: string[][][] = [];
  let row: string[] | undefined;
  for (const t of parseMarkdown(markdown)) {
    if (t.type === 'table_open') tables.push([]);
    else if (t.type === 'tr_open') row = [];
    else if (t.type === 'tr_close' && row) {
      tables.at(-1)?.push(row);
      row = undefined;
    } else if (t.type === 'inline' && row) row.push(shownText(t));
  }
  return tables;
}

/** The content of every fenced or indented code block. */
export function codeBlocksOf(markdown: string): string[] {
  return parseMarkdown(markdown)
    .filter((t) => t.type === 'fence' || t.type === 'code_block')
    .map((t) => t.content);
}
