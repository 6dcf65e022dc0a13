// S3 Control's REST-XML body format, both ways: request documents become objects in the API's
// own shapes (lists from <member>, maps from <entry>, `SSE-KMS` → `SSEKMS`), and objects render
// back the same way. Field types (numbers, booleans, dates) are applied by the caller.
import { XMLParser } from 'fast-xml-parser';
import { escapeXml } from '../s3/xml';
import { s3ControlErrors } from './errors';

export const S3_CONTROL_NAMESPACE = 'http://awss3control.amazonaws.com/doc/2018-08-20/';

/** XML element names that differ from the API's member names. */
const XML_NAMES: Readonly<Record<string, string>> = {
  SSEKMS: 'SSE-KMS',
  SSES3: 'SSE-S3',
  DSSEKMS: 'DSSE-KMS',
  SSEC: 'SSE-C',
  NOTSSE: 'NOT-SSE',
};
const MEMBER_NAMES: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(XML_NAMES).map(([k, v]) => [v, k]));
/** Lists whose items are not called <member>. */
const LIST_ITEM_NAMES: Readonly<Record<string, string>> = { MatchAnyObjectEncryption: 'ObjectEncryption', AccessPointList: 'AccessPoint' };
/** String maps, rendered as <entry><key/><value/></entry>. */
const MAPS: ReadonlySet<string> = new Set(['UserMetadata']);

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  ignoreDeclaration: true,
});

export type Shape = string | Shape[] | { [name: string]: Shape };

/** Parses a request body and returns the root element's content as a Shape. */
export function parseRequest(body: Buffer, root: string): Record<string, Shape> {
  let parsed: Record<string, unknown>;
  try {
    parsed = parser.parse(body.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw s3ControlErrors.malformedXml();
  }
  const content = parsed[root];
  if (content === undefined) throw s3ControlErrors.malformedXml();
  const shape = toShape(root, content);
  return typeof shape === 'object' && !Array.isArray(shape) ? shape : {};
}

function toShape(name: string, node: unknown): Shape {
  if (node === null || node === undefined) return '';
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- not an object: the parser's leaf values are strings, numbers and booleans
  if (typeof node !== 'object') return String(node);
  const record = node as Record<string, unknown>;
  const itemName = LIST_ITEM_NAMES[name];
  if (itemName !== undefined) return asList(record[itemName]).map((item) => toShape(itemName, item));
  if (MAPS.has(name)) {
    return Object.fromEntries(
      asList(record['entry']).map((e) => [
        String((e as Record<string, unknown>)['key']),
        // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a map entry's key and value are leaf elements: strings, numbers or booleans
        String((e as Record<string, unknown>)['value'] ?? ''),
      ]),
    );
  }
  const keys = Object.keys(record);
  if (keys.length === 1 && keys[0] === 'member') return asList(record['member']).map((item) => toShape('member', item));
  const result: Record<string, Shape> = {};
  for (const key of keys) result[MEMBER_NAMES[key] ?? key] = toShape(key, record[key]);
  return result;
}

function asList(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Renders a value in the API's shape as XML elements named after its members. */
export function renderXml(name: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  const element = XML_NAMES[name] ?? name;
  if (value instanceof Date) return `<${element}>${value.toISOString()}</${element}>`;
  if (Array.isArray(value)) {
    const itemName = LIST_ITEM_NAMES[name] ?? 'member';
    return `<${element}>${value.map((item) => renderXml(itemName, item)).join('')}</${element}>`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (MAPS.has(name)) {
      return `<${element}>${entries.map(([k, v]) => `<entry><key>${escapeXml(k)}</key><value>${escapeXml(String(v))}</value></entry>`).join('')}</${element}>`;
    }
    return `<${element}>${entries.map(([k, v]) => renderXml(k, v)).join('')}</${element}>`;
  }
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- the arrays and objects were rendered above; what is left is a leaf
  return `<${element}>${escapeXml(String(value))}</${element}>`;
}

/** A complete response document in the S3 Control namespace. */
export function responseDocument(root: string, fields: Readonly<Record<string, unknown>>): string {
  const children = Object.entries(fields)
    .map(([k, v]) => renderXml(k, v))
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${S3_CONTROL_NAMESPACE}">${children}</${root}>`;
}
