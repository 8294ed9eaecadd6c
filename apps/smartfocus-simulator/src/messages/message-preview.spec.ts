import { renderPreview } from './message-preview';

describe(renderPreview.name, () => {
  const body = '[EMV HTMLPART]<p>Hello [EMV FIELD]FIRSTNAME[EMV /FIELD]</p>[EMV TEXTPART]Hello [EMV FIELD]FIRSTNAME[EMV /FIELD]';

  it('should render the asked part with personalisation tags shown as field names', () => {
    expect(renderPreview(body, 'HTML')).toBe('<p>Hello {FIRSTNAME}</p>');
    expect(renderPreview(body, 'TEXT')).toBe('Hello {FIRSTNAME}');
  });

  it('should treat a body without markers as HTML', () => {
    expect(renderPreview('<b>plain</b>', 'HTML')).toBe('<b>plain</b>');
    expect(renderPreview('<b>plain</b>', 'TEXT')).toBe('');
  });
});
