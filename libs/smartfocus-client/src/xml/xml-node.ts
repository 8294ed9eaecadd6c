import { parseZonedDateTime } from '@optimove/clock';
// Readers over the tree fast-xml-parser builds, validating as they go: a missing or malformed
// element raises an UnexpectedXmlError naming its path, which the caller turns into a typed
// SmartFocusProtocolError. Values stay text until a reader converts them (customer IDs keep their
// leading zeros; ids are checked to be safe integers).

/** A parsed XML element: text, or an object of children and `@_` attributes. */
export type XmlValue = string | XmlElement | XmlValue[];
export type XmlElement = { [name: string]: XmlValue };

export class UnexpectedXmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnexpectedXmlError';
  }
}

export function isElement(value: XmlValue | undefined): value is XmlElement {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The element's value(s) as a list: absent -> [], one -> [it], repeated -> all. */
export function asList(value: XmlValue | undefined): XmlValue[] {
  if (value === undefined || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

/** Text content of an element that may carry attributes (`<result xsi:type="xs:long">5</result>`). */
export function textOf(value: XmlValue | undefined, path: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) throw new UnexpectedXmlError(`${path} is repeated where one value was expected`);
  const text = value['#text'];
  if (text === undefined) {
    // An empty element with attributes only (e.g. xsi:nil) has no text.
    return Object.keys(value).every((key) => key.startsWith('@_')) ? '' : undefined;
  }
  if (typeof text !== 'string') throw new UnexpectedXmlError(`${path} has mixed content`);
  return text;
}

export function child(element: XmlElement, name: string, path: string): XmlElement {
  const value = element[name];
  if (isElement(value)) return value;
  if (value === '') return {};
  throw new UnexpectedXmlError(`${path}/${name} is missing or not an element`);
}

/** Reads `<name>` of `element` as required text. */
export function requiredText(element: XmlElement, name: string, path: string): string {
  const text = textOf(element[name], `${path}/${name}`);
  if (text === undefined) throw new UnexpectedXmlError(`${path}/${name} is missing`);
  return text;
}

export function optionalText(element: XmlElement, name: string, path: string): string | undefined {
  const text = textOf(element[name], `${path}/${name}`);
  return text === undefined || text === '' ? undefined : text;
}

export function parseId(text: string, path: string): number {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(value)) throw new UnexpectedXmlError(`${path} is not an id: ${JSON.stringify(text)}`);
  return value;
}

export function parseCount(text: string, path: string): number {
  return parseId(text, path);
}

export function parseBoolean(text: string, path: string): boolean {
  const value = text.trim().toLowerCase();
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new UnexpectedXmlError(`${path} is not a boolean: ${JSON.stringify(text)}`);
}

/**
 * Dates come back ISO (`2009-12-15T00:00:00`, maybe with an offset) or `yyyy-MM-dd HH:mm:ss`;
 * without an offset they are wall-clock times of the account's time zone (SMARTFOCUS_TIME_ZONE).
 */
export function parseDate(text: string, path: string, timeZone: string): Date {
  const date = parseZonedDateTime(text, timeZone);
  if (!date) throw new UnexpectedXmlError(`${path} is not a date: ${JSON.stringify(text)}`);
  return date;
}

export function requiredId(element: XmlElement, name: string, path: string): number {
  return parseId(requiredText(element, name, path), `${path}/${name}`);
}

export function optionalId(element: XmlElement, name: string, path: string): number | undefined {
  const text = optionalText(element, name, path);
  return text === undefined ? undefined : parseId(text, `${path}/${name}`);
}

export function optionalBoolean(element: XmlElement, name: string, path: string): boolean | undefined {
  const text = optionalText(element, name, path);
  return text === undefined ? undefined : parseBoolean(text, `${path}/${name}`);
}

export function optionalDate(element: XmlElement, name: string, path: string, timeZone: string): Date | undefined {
  const text = optionalText(element, name, path);
  return text === undefined ? undefined : parseDate(text, `${path}/${name}`, timeZone);
}

/** The first of several accepted element names that is present (the reference lists two spellings of some). */
export function firstPresent(element: XmlElement, names: readonly string[]): string | undefined {
  return names.find((name) => element[name] !== undefined);
}
