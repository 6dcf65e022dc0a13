// How S3 Inventory URL-encodes object keys in CSV reports, and how Athena's url_decode reads them
// back. S3 encodes keys the way Java's URLEncoder does (form encoding): a space becomes `+`, a
// literal `+` becomes `%2B`, and `/` is encoded too; Trino's url_encode/url_decode use the same rules.

// URLEncoder leaves exactly these unescaped: ASCII letters, digits and `.-*_`.
const UNRESERVED = /[A-Za-z0-9.\-*_]/;

/** Form-encodes a key as it appears in an inventory CSV (`a b+c/d` -> `a+b%2Bc%2Fd`). */
export function encodeInventoryKey(key: string): string {
  let out = '';
  for (const char of key) {
    if (UNRESERVED.test(char)) out += char;
    else if (char === ' ') out += '+';
    else for (const byte of Buffer.from(char, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export class UrlDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UrlDecodeError';
  }
}

/** Decodes form encoding (`+` is a space), failing on malformed escapes as Java's URLDecoder does. */
export function decodeInventoryKey(encoded: string): string {
  const bytes: number[] = [];
  const flushText = (text: string): void => {
    for (const byte of Buffer.from(text, 'utf8')) bytes.push(byte);
  };
  for (let i = 0; i < encoded.length; i++) {
    const char = encoded[i]!;
    if (char === '+') bytes.push(0x20);
    else if (char === '%') {
      const hex = encoded.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new UrlDecodeError(`URLDecoder: Illegal hex characters in escape (%) pattern - ${hex}`);
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      const code = encoded.codePointAt(i)!;
      const text = String.fromCodePoint(code);
      flushText(text);
      i += text.length - 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
