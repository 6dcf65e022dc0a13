// CSV: Athena's result quoting and OpenCSVSerde's reading of quotes, escapes and line breaks.
import { parseCsv, resultCsvLine } from './csv';

it('quotes every result value, doubles quotes and leaves NULL empty', () => {
  expect(resultCsvLine(['a', 'say "hi"', null, ''])).toBe('"a","say ""hi""",,""\n');
});

it.each([
  [
    '"a","b"\n"c","d"\n',
    [
      ['a', 'b'],
      ['c', 'd'],
    ],
  ],
  ['"x,y","line\nbreak"', [['x,y', 'line\nbreak']]],
  ['"q""uote","e\\"scaped"\r\n', [['q"uote', 'e"scaped']]],
  ['plain,,"",last\n', [['plain', '', '', 'last']]],
])('parses %j', (text, rows) => {
  expect([...parseCsv(text)]).toEqual(rows);
});
