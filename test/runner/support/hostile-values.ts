// Test support: values an object key, a message or an error code can hold, each trying to make markup of its own in a report.

/** Values an object key, a message or an error code can hold, each trying to make markup of its own. */
export const HOSTILE: readonly (readonly [string, string])[] = [
  ['a backtick', 'a`b'],
  ['backticks at both ends', '`x`'],
  ['a triple backtick', 'x```y'],
  ['a line break and a PASS heading', 'k\n## ✅ x: PASS'],
  ['a CRLF and a heading', 'k\r\n## ✅ x: PASS'],
  ['a line separator and a heading', 'k\u2028## ✅ x: PASS'],
  ['a next line (U+0085) and a heading', 'k\u0085## ✅ x: PASS'],
  ['an img tag', '<img src=x onerror=alert(1)>'],
  ['a script tag', '<script>alert(1)</script>'],
  ['a link', '[link](http://x)'],
  ['an image', '![i](http://x)'],
  ['an autolink', '<http://x.test>'],
  ['bare URLs', 'see http://x.test and www.x.test'],
  ['a table row after a line break', 'p | q\n| a | b |'],
  ['pipes', '| a | b |'],
  ['a backslash before a pipe', 'a\\|b'],
  ['a trailing backslash', 'ends\\'],
  ['emphasis and strikethrough', '*em* _em_ **strong** ~~strike~~'],
  ['a heading mark first', '# heading'],
  ['a list mark first', '- item'],
  ['an ordered list mark first', '1. item'],
  ['a quote mark first', '> quote'],
  ['indentation', '    indented code'],
  ['trailing spaces', 'hard  '],
  ['entities', '&amp; &lt; &#42;'],
  ['a reference definition', '[x]: http://x.test'],
  ['a thematic break', '***'],
  ['a setext underline', 'x\n==='],
  ['a bidi override', 'invoice\u202Efdp.exe'],
];

/** Any bidi control: none may reach a rendered report, where it would reorder the text after it. */
export const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
