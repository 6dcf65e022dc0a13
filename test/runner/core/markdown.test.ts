// Markdown from data, read back by a markdown parser: a hostile value stays one piece of text, in every place the report puts one.
import { showControls } from '../../../runner/core/control-characters';
import { cellCode, code, codeBlock, table, text } from '../../../runner/core/markdown';
import { HOSTILE } from '../support/hostile-values';
import { codeBlocksOf, countsOf, headingsOf, markupOf, renderMarkdown, tablesOf, textsOf } from '../support/markdown';

/** What a reader must see: the value itself, its control characters as escapes. */
const shown = (value: string): string => showControls(value);

describe('text', () => {
  it.each(HOSTILE)('%s: stays one paragraph of plain text, showing the value', (_name, value) => {
    const md = `before ${text(value)} after`;
    expect(markupOf(md)).toEqual(['paragraph_open:p', 'paragraph_close:p']);
    expect(textsOf(md)).toEqual([`before ${shown(value)} after`]);
  });

  it.each(HOSTILE)('%s: at the start of a line, starts no block of its own', (_name, value) => {
    const md = text(value);
    expect(markupOf(md)).toEqual(['paragraph_open:p', 'paragraph_close:p']);
    expect(textsOf(md)).toEqual([shown(value)]);
  });

  it.each(HOSTILE)('%s: as a list item, stays one item of text', (_name, value) => {
    const md = `- ${text(value)}\n- second`;
    expect(markupOf(md)).toEqual(markupOf('- first\n- second'));
    expect(textsOf(md)).toEqual([shown(value), 'second']);
  });

  it.each(HOSTILE)('%s: in a heading, stays in that heading', (_name, value) => {
    const md = `### ✅ ${text(value)}: done\n\nbody`;
    expect(headingsOf(md)).toEqual([`h3 ✅ ${shown(value)}: done`]);
    expect(markupOf(md)).toEqual(markupOf('### ✅ plain: done\n\nbody'));
  });
});

describe('code', () => {
  it.each(HOSTILE)('%s: stays one code span holding the value', (_name, value) => {
    const md = `see ${code(value)} here`;
    expect(markupOf(md)).toEqual(['paragraph_open:p', 'code_inline:code', 'paragraph_close:p']);
    expect(textsOf(md)).toEqual([`see ${shown(value)} here`]);
  });

  it('picks a fence longer than any run of backticks in the value, padded when the value starts or ends with one', () => {
    expect(code('a``b')).toBe('```a``b```');
    expect(code('`x')).toBe('`` `x ``');
    expect(code('plain')).toBe('`plain`');
  });

  it('keeps spaces at the ends of a value: they are padded, and CommonMark strips only the padding', () => {
    expect(textsOf(code(' x '))).toEqual([' x ']);
    expect(textsOf(code('  '))).toEqual(['  ']);
  });
});

describe('table cells', () => {
  it.each(HOSTILE)('%s: stays in its cell, as code and as text, and the row stays one row', (_name, value) => {
    const md = table(
      ['key', 'reason', 'count'],
      [
        [cellCode(value), text(value), 3],
        ['plain', 'plain', 4],
      ],
    ).join('\n');
    // A value a code span cannot hold in a table is shown as text: the markup is the same but for that span.
    const withoutCode = (markdown: string) => markupOf(markdown).filter((t) => t !== 'code_inline:code');
    expect(withoutCode(md)).toEqual(
      withoutCode(
        table(
          ['key', 'reason', 'count'],
          [
            [cellCode('x'), 'x', 3],
            ['plain', 'plain', 4],
          ],
        ).join('\n'),
      ),
    );
    expect(tablesOf(md)).toEqual([
      [
        ['key', 'reason', 'count'],
        [shown(value), shown(value), '3'],
        ['plain', 'plain', '4'],
      ],
    ]);
  });

  it('escapes a pipe inside a code span, as GFM requires in a table', () => {
    expect(cellCode('a|b')).toBe('`a\\|b`');
  });

  it('shows a backslash before a pipe as text: no code span can hold it in a GFM table', () => {
    expect(cellCode('a\\|b')).toBe(text('a\\|b'));
  });

  it('right-aligns a column of numbers only, and writes numbers en-US', () => {
    expect(table(['n', 'name'], [[1234, 'a']])).toEqual(['| n | name |', '| ---: | --- |', '| 1,234 | a |']);
  });
});

describe('codeBlock', () => {
  it.each(HOSTILE)('%s: stays inside one fenced block', (_name, value) => {
    const md = [...codeBlock(value), '', 'after'].join('\n');
    expect(markupOf(md)).toEqual(['fence:code', 'paragraph_open:p', 'paragraph_close:p']);
    expect(codeBlocksOf(md)).toEqual([`${showControls(value, { keepLineBreaks: true })}\n`]);
  });

  it('keeps the lines of a message and cannot be closed by a fence inside it', () => {
    const message = 'Preflight failed:\n```\n## ✅ prod: PASS\n````\n  - fix the key policy';
    const md = [...codeBlock(message), '', 'after'].join('\n');
    expect(codeBlocksOf(md)).toEqual([`${message}\n`]);
    expect(headingsOf(md)).toEqual([]);
    expect(codeBlock(message)[0]).toBe('`````');
  });
});

describe('bidi controls and other control characters', () => {
  it.each([
    ['U+202E right-to-left override', '\u202E', '\\u202E'],
    ['U+202A left-to-right embedding', '\u202A', '\\u202A'],
    ['U+2066 left-to-right isolate', '\u2066', '\\u2066'],
    ['U+2069 pop directional isolate', '\u2069', '\\u2069'],
    ['U+200F right-to-left mark', '\u200F', '\\u200F'],
    ['U+061C Arabic letter mark', '\u061C', '\\u061C'],
    ['a line feed', '\n', '\\n'],
    ['a carriage return', '\r', '\\r'],
    ['U+2028 line separator', '\u2028', '\\u2028'],
    ['U+0085 next line', '\u0085', '\\u0085'],
    ['NUL', '\u0000', '\\u0000'],
    ['escape', '\u001B', '\\u001B'],
  ])('shows %s as a visible escape', (_name, character, escape) => {
    expect(showControls(`a${character}b`)).toBe(`a${escape}b`);
  });

  it('leaves a tab, letters of any script and emoji alone', () => {
    expect(showControls('a\tb שלום ✅')).toBe('a\tb שלום ✅');
  });

  it('keeps line breaks in a block, as LF, and still escapes the rest', () => {
    expect(showControls('a\r\nb\rc\u202Ed', { keepLineBreaks: true })).toBe('a\nb\nc\\u202Ed');
  });

  it('leaves no bidi control in rendered text or code: the reader sees where one was', () => {
    const html = renderMarkdown(`${text('a\u202Eb')} ${code('c\u2066d')}\n\n${codeBlock('e\u202Bf').join('\n')}`);
    expect(html).not.toMatch(/[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/);
    expect(html).toContain('a\\u202Eb');
    expect(html).toContain('<code>c\\u2066d</code>');
    expect(html).toContain('e\\u202Bf');
  });

  it('counts no HTML, link or image in text made of hostile values', () => {
    const md = HOSTILE.map(([, value]) => `- ${text(value)} ${code(value)}`).join('\n');
    expect(countsOf(md, ['html_inline', 'html_block', 'link_open', 'image', 'heading_open', 'em_open', 'strong_open', 's_open'])).toEqual({
      html_inline: 0,
      html_block: 0,
      link_open: 0,
      image: 0,
      heading_open: 0,
      em_open: 0,
      strong_open: 0,
      s_open: 0,
    });
  });
});
