// The REST-XML wire format: a tiny writer for S3's response documents and a parser for request
// bodies, with the element names that repeat declared once so single items still parse as lists.
import { XMLParser } from 'fast-xml-parser';
import { s3Errors } from './errors';
import type { XmlTree } from './bucket-config';

export const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

const REPEATED = new Set([
  'Rule',
  'Transition',
  'NoncurrentVersionTransition',
  'Tag',
  'Object',
  'Part',
  'Field',
  'Grant',
  'CORSRule',
  'Event',
  'FilterRule',
  'TopicConfiguration',
  'QueueConfiguration',
  'CloudFunctionConfiguration',
]);

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  ignoreDeclaration: true,
  isArray: (name) => REPEATED.has(name),
});

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

export type XmlValue = string | number | boolean | Date | undefined;

/** `<name>value</name>`, or nothing when value is undefined. */
export function tag(name: string, value: XmlValue): string {
  if (value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : String(value);
  return `<${name}>${escapeXml(text)}</${name}>`;
}

/** `<name>children</name>` with already-rendered children. */
export function node(name: string, ...children: string[]): string {
  return `<${name}>${children.join('')}</${name}>`;
}

/** A complete response document in the S3 namespace. */
export function document(root: string, ...children: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${S3_NAMESPACE}">${children.join('')}</${root}>`;
}

/** Renders a parsed tree back to XML in its original element order. */
export function treeToXml(name: string, tree: XmlTree | readonly XmlTree[]): string {
  // Array.isArray narrows a readonly array to any[]; the casts here put the element type back.
  if (Array.isArray(tree)) return (tree as readonly XmlTree[]).map((t) => treeToXml(name, t)).join('');
  if (typeof tree === 'string') return tag(name, tree);
  const children = Object.entries(tree as Record<string, XmlTree | XmlTree[]>).map(([child, value]) => treeToXml(child, value));
  return node(name, ...children);
}

/** Parses a request body; returns the root element's content. MalformedXML as S3 says it. */
export function parseBody(body: Buffer, root: string): Record<string, XmlTree | XmlTree[]> {
  let parsed: Record<string, unknown>;
  try {
    parsed = parser.parse(body.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw s3Errors.malformedXml();
  }
  const content = parsed[root];
  if (content === undefined) throw s3Errors.malformedXml();
  if (content === '') return {};
  if (typeof content !== 'object' || content === null) throw s3Errors.malformedXml();
  return dropWhitespace(content) as Record<string, XmlTree | XmlTree[]>;
}

/** Whitespace between elements is layout, not content. */
function dropWhitespace(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropWhitespace);
  if (typeof value !== 'object' || value === null) return value;
  const result: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === '#text' && typeof v === 'string' && v.trim() === '') continue;
    result[k] = dropWhitespace(v);
  }
  return result;
}

/** A child's text; undefined when absent. */
export function text(tree: XmlTree | readonly XmlTree[] | undefined): string | undefined {
  if (tree === undefined) return undefined;
  if (typeof tree === 'string') return tree;
  if (Array.isArray(tree)) return text((tree as readonly XmlTree[])[0]);
  const inner = (tree as Record<string, unknown>)['#text'];
  return typeof inner === 'string' ? inner : Object.keys(tree).length === 0 ? '' : undefined;
}

/** A child element as an object (empty object when absent or empty). */
export function child(tree: XmlTree | readonly XmlTree[] | undefined): Record<string, XmlTree | XmlTree[]> {
  if (tree === undefined || typeof tree === 'string') return {};
  if (Array.isArray(tree)) return child((tree as readonly XmlTree[])[0]);
  return tree as Record<string, XmlTree | XmlTree[]>;
}

/** A repeated child as a list of objects. */
export function children(tree: XmlTree | readonly XmlTree[] | undefined): Record<string, XmlTree | XmlTree[]>[] {
  if (tree === undefined) return [];
  const list = Array.isArray(tree) ? tree : [tree];
  return list.map((t) => (typeof t === 'string' ? {} : (t as Record<string, XmlTree | XmlTree[]>)));
}
