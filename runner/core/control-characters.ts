// Characters in data that change how the text around them reads (bidi controls, line breaks, other
// control characters), shown as visible escapes such as `\u202E` in every report format. Pure.

/**
 * Bidi controls (U+061C, U+200E/F, U+202A-E, U+2066-9) can reverse the text after them, a line or
 * paragraph separator can start a line of its own, and other control characters show as nothing or
 * as a box: none of them is left for the reader's renderer to act on. A tab stays a tab.
 */
const LAYOUT_CHANGING = /[\p{Cc}\p{Bidi_Control}\p{Zl}\p{Zp}]/gu;

/** The escape a reader recognizes: `\n` and `\r` for line breaks, `\uXXXX` for the rest. */
function escapeOf(character: string): string {
  if (character === '\n') return '\\n';
  if (character === '\r') return '\\r';
  return `\\u${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

export interface ShowControlsOptions {
  /**
   * Keep line breaks as line breaks (a CRLF or a lone CR becomes LF), for text shown as a block such
   * as an error message; every other control character is still escaped.
   * @default false
   */
  readonly keepLineBreaks?: boolean;
}

/** The value with every control character but the tab replaced by its visible escape. */
export function showControls(value: string, options: ShowControlsOptions = {}): string {
  const keepLineBreaks = options.keepLineBreaks ?? false;
  const text = keepLineBreaks ? value.replace(/\r\n?/g, '\n') : value;
  return text.replace(LAYOUT_CHANGING, (c) => (c === '\t' || (keepLineBreaks && c === '\n') ? c : escapeOf(c)));
}
