import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { XMLParser } from 'fast-xml-parser';
import { SmartFocusSimulatorConfig } from '../config/smartfocus-simulator.config';
import { readMultipart } from './multipart-body';
import { SmartFocusFault } from './smartfocus-fault';

/** A parsed request element: text, or an object of children. */
export type XmlNode = string | { [name: string]: XmlNode } | XmlNode[];
export type XmlObject = { [name: string]: XmlNode };

const options = { ignoreAttributes: true, parseTagValue: false, removeNSPrefix: true, htmlEntities: false } as const;
const parser = new XMLParser({ ...options, trimValues: true });
const untrimmedParser = new XMLParser({ ...options, trimValues: false });

/** `trimValues: false` keeps the whitespace around text values (and between elements, as `#text`). */
export type XmlParseOptions = { trimValues?: boolean };

/** Reads the raw body (only a JSON parser is registered, so XML and multipart bodies arrive unread). */
export async function readBody(req: Request, limitBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw SmartFocusFault.invalid('body', `The request body exceeds ${limitBytes} bytes.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Parses an XML document and returns its root element, which must be one of `roots`. */
export function parseXmlRoot(xml: string, roots: readonly string[], { trimValues = true }: XmlParseOptions = {}): XmlObject {
  let document: XmlObject;
  try {
    document = (trimValues ? parser : untrimmedParser).parse(xml, true) as XmlObject;
  } catch {
    throw SmartFocusFault.invalid('body', 'The request body is not well-formed XML.');
  }
  for (const root of roots) {
    const element = document[root];
    if (element === '') return {};
    if (typeof element === 'object' && !Array.isArray(element)) return element;
  }
  throw SmartFocusFault.invalid('body', `The request body must be a <${roots.join('> or <')}> element.`);
}

export function xmlText(element: XmlObject, name: string): string | undefined {
  const value = element[name];
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  throw SmartFocusFault.invalid(name, `<${name}> must appear once, as text.`);
}

export function xmlList(element: XmlObject, name: string): XmlNode[] {
  const value = element[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export function xmlObject(node: XmlNode | undefined, name: string): XmlObject {
  // Whitespace alone is an empty element (an untrimmed parse keeps the indentation of one).
  if (node === undefined || (typeof node === 'string' && node.trim() === '')) return {};
  if (typeof node === 'object' && !Array.isArray(node)) return node;
  throw SmartFocusFault.invalid(name, `<${name}> must be an element.`);
}

/** Reads SmartFocus request bodies within the configured size limit. */
@Injectable()
export class RequestBodyReader {
  constructor(@Inject(SmartFocusSimulatorConfig) private readonly config: SmartFocusSimulatorConfig) {}

  /** The body's XML root element, which must be one of `roots`. */
  async xml(request: Request, roots: readonly string[], options?: XmlParseOptions): Promise<XmlObject> {
    return parseXmlRoot((await readBody(request, this.config.SIMULATOR_BODY_LIMIT_BYTES)).toString('utf8'), roots, options);
  }

  multipart(request: Request): Promise<Map<string, Buffer>> {
    return readMultipart(request, this.config.SIMULATOR_BODY_LIMIT_BYTES);
  }
}
