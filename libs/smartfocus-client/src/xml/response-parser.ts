import { XMLParser } from 'fast-xml-parser';
import type { FailedEnvelope } from '../errors/error-mapping';
import { UnexpectedXmlError, asList, isElement, requiredText, textOf, type XmlElement, type XmlValue } from './xml-node';

/** A SmartFocus REST answer: `<response responseStatus="success|failed">`. */
export type ResponseEnvelope = { outcome: 'success'; body: XmlElement } | { outcome: 'failed'; failure: FailedEnvelope };

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Keep every value as text: ids are checked by the readers, customer IDs keep leading zeros.
  parseTagValue: false,
  parseAttributeValue: false,
  removeNSPrefix: true,
  trimValues: true,
  htmlEntities: false,
});

/**
 * Parses and checks the envelope. Throws UnexpectedXmlError for text that is not well-formed XML
 * or not a SmartFocus `<response>`.
 */
export function parseResponse(xml: string): ResponseEnvelope {
  let document: XmlElement;
  try {
    document = parser.parse(xml, true) as XmlElement;
  } catch (error) {
    throw new UnexpectedXmlError(`the answer is not well-formed XML (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
  }
  const response = document['response'];
  if (!isElement(response)) throw new UnexpectedXmlError('the answer has no <response> root element');
  const status = textOf(response['@_responseStatus'], 'response/@responseStatus');
  if (status === 'success') return { outcome: 'success', body: response };
  if (status === 'failed') {
    return {
      outcome: 'failed',
      failure: {
        status: textOf(response['status'], 'response/status')?.trim() ?? '',
        description: textOf(response['description'], 'response/description') ?? '',
        fields: asList(response['fields']).map((field) => textOf(field, 'response/fields') ?? ''),
      },
    };
  }
  throw new UnexpectedXmlError(`response/@responseStatus is ${JSON.stringify(status)}, not success or failed`);
}

/** The text of `<result>`. */
export function resultText(body: XmlElement): string {
  return requiredText(body, 'result', 'response');
}

/** The object wrapper of a single-object answer, under whichever of the accepted names is present. */
export function resultObject(body: XmlElement, names: readonly string[]): XmlElement {
  for (const name of names) {
    const value: XmlValue | undefined = body[name];
    if (isElement(value)) return value;
    if (value === '') return {};
  }
  throw new UnexpectedXmlError(`response has none of <${names.join('>, <')}>`);
}
