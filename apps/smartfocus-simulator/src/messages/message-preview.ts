/** The part of a message body a preview shows. */
export type PreviewPart = 'HTML' | 'TEXT';

const HTML_MARKER = '[EMV HTMLPART]';
const TEXT_MARKER = '[EMV TEXTPART]';

/**
 * Splits a `[EMV HTMLPART]...[EMV TEXTPART]...` body and renders the asked part: personalisation
 * tags show their field name (`[EMV FIELD]FIRSTNAME[EMV /FIELD]` -> `{FIRSTNAME}`). A body
 * without markers is HTML.
 */
export function renderPreview(body: string, part: PreviewPart): string {
  const htmlAt = body.indexOf(HTML_MARKER);
  const textAt = body.indexOf(TEXT_MARKER);
  let html = body;
  let text = '';
  if (htmlAt >= 0 || textAt >= 0) {
    html = htmlAt >= 0 ? body.slice(htmlAt + HTML_MARKER.length, textAt > htmlAt ? textAt : undefined) : '';
    text = textAt >= 0 ? body.slice(textAt + TEXT_MARKER.length, htmlAt > textAt ? htmlAt : undefined) : '';
  }
  const chosen = part === 'HTML' ? html : text;
  return chosen.replace(/\[EMV FIELD\]([^[]*)\[EMV \/FIELD\]/g, '{$1}').trim();
}
