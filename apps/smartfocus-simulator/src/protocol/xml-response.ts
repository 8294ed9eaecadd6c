import { formatZonedIso } from '@optimove/clock';
// The simulator's XML answers (reference §1.3): `<response responseStatus="success">` with a typed
// `<result>` or an object element, and `<response responseStatus="failed">` for errors.

export type XmlContent = string | number | boolean | Date | null | undefined | readonly XmlContent[] | { readonly [name: string]: XmlContent };

/** What a SmartFocus route handler returns; the interceptor writes it as the success envelope. */
export type SmartFocusResult =
  | { kind: 'scalar'; type: 'xs:string' | 'xs:long' | 'xs:boolean'; value: string | number | boolean }
  | { kind: 'element'; name: string; content: XmlContent };

export const result = {
  string: (value: string): SmartFocusResult => ({ kind: 'scalar', type: 'xs:string', value }),
  long: (value: number | string): SmartFocusResult => ({ kind: 'scalar', type: 'xs:long', value: String(value) }),
  boolean: (value: boolean): SmartFocusResult => ({ kind: 'scalar', type: 'xs:boolean', value }),
  element: (name: string, content: XmlContent): SmartFocusResult => ({ kind: 'element', name, content }),
  /** `<entities><id>..</id>...</entities>` */
  ids: (ids: readonly (number | string)[]): SmartFocusResult => ({ kind: 'element', name: 'entities', content: { id: ids.map(String) } }),
};

const DECLARATION = '<?xml version="1.0" encoding="utf-8" standalone="yes"?>';
const NAMESPACES = 'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[char] ?? char);
}

/**
 * ISO without milliseconds, on the account's wall clock with its offset, as the reference's
 * examples show member dates (`2013-05-14T15:34:13+01:00`).
 */
export function formatDate(date: Date, timeZone: string): string {
  return formatZonedIso(date, timeZone);
}

function render(name: string, value: XmlContent, timeZone: string): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return (value as readonly XmlContent[]).map((item) => render(name, item, timeZone)).join('');
  if (value === null) return `<${name}/>`;
  if (value instanceof Date) return `<${name}>${formatDate(value, timeZone)}</${name}>`;
  if (typeof value === 'object') {
    const inner = Object.entries(value).map(([childName, child]) => render(childName, child, timeZone)).join('');
    return inner ? `<${name}>${inner}</${name}>` : `<${name}/>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** The success envelope; dates are written in `timeZone` (SIMULATOR_TIME_ZONE). */
export function successXml(value: SmartFocusResult, timeZone: string): string {
  const body =
    value.kind === 'scalar'
      ? `<result ${NAMESPACES} xsi:type="${value.type}">${escapeXml(String(value.value))}</result>`
      : render(value.name, value.content, timeZone) || `<${value.name}/>`;
  return `${DECLARATION}<response responseStatus="success">${body}</response>`;
}

export function failedXml(status: string, description: string, fields: readonly string[]): string {
  return `${DECLARATION}<response responseStatus="failed">${render('description', description, 'UTC')}${render('fields', fields, 'UTC')}${render('status', status, 'UTC')}</response>`;
}
