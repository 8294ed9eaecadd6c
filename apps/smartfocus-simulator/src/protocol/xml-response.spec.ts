import { failedXml, result, successXml } from './xml-response';

describe('XML responses', () => {
  it('should write a typed scalar result with the schema namespaces', () => {
    expect(successXml(result.long('42'), 'UTC')).toBe(
      '<?xml version="1.0" encoding="utf-8" standalone="yes"?><response responseStatus="success"><result xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:long">42</result></response>',
    );
  });

  it('should escape text, repeat list elements, write dates with the account offset and without milliseconds, and leave undefined out', () => {
    const xml = successXml(result.element('apiMessage', { name: 'a<b&"c"', tags: ['x', 'y'], createDate: new Date('2026-01-02T03:04:05.678Z'), missing: undefined }), 'Europe/Paris');
    expect(xml).toContain('<apiMessage><name>a&lt;b&amp;&quot;c&quot;</name><tags>x</tags><tags>y</tags><createDate>2026-01-02T04:04:05+01:00</createDate></apiMessage>');
    expect(successXml(result.element('c', { sendDate: new Date('2026-07-02T03:04:05Z') }), 'Europe/Paris')).toContain('<sendDate>2026-07-02T05:04:05+02:00</sendDate>');
    expect(successXml(result.ids([]), 'UTC')).toContain('<entities/>');
  });

  it('should write the failed envelope with description, fields and status', () => {
    expect(failedXml('INVALID_PARAMETERS', 'Too many', ['values'])).toContain(
      '<response responseStatus="failed"><description>Too many</description><fields>values</fields><status>INVALID_PARAMETERS</status></response>',
    );
  });
});
