import { XMLBuilder } from 'fast-xml-parser';

// Request bodies. The builder escapes text, so values (names, customer IDs) cannot break the XML.

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: false, suppressEmptyNode: false });

type XmlInput = string | number | boolean | XmlInputObject | XmlInput[];
type XmlInputObject = { [name: string]: XmlInput | undefined };

/** `<?xml ...?><root>...</root>` with undefined fields left out. */
export function xmlDocument(root: string, content: XmlInputObject): string {
  const defined: XmlInputObject = Object.fromEntries(Object.entries(content).filter(([, value]) => value !== undefined));
  return `<?xml version="1.0" encoding="UTF-8"?>${builder.build({ [root]: defined })}`;
}
