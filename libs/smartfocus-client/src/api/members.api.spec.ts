import type { CallRequest, SmartFocusCaller } from '../http/smartfocus-caller';
import { MembersApi } from './members.api';

describe(MembersApi.name, () => {
  it('should send the upload file with CRLF line ends when the content has bare LF or CR line ends', async () => {
    // The batch member API reads CRLF-delimited lines (reference §8.3): a file of LF lines would be one line.
    const requests: CallRequest[] = [];
    const caller = {
      call: (request: CallRequest): Promise<number> => {
        requests.push(request);
        return Promise.resolve(1);
      },
    } as unknown as SmartFocusCaller;

    await new MembersApi(caller).mergeUpload({
      fileName: 'members.csv',
      content: 'EMAIL,CUSTOMER_ID\na@example.com,001\r\nb@example.com,002\rc@example.com,003\n',
      columns: ['EMAIL', 'CUSTOMER_ID'],
      skipFirstLine: true,
    });

    const body = requests[0].body?.content ?? '';
    const file = /Content-Transfer-Encoding: base64\r\n\r\n([A-Za-z0-9+/=]+)\r\n/.exec(body)?.[1] ?? '';
    expect(Buffer.from(file, 'base64').toString('utf8')).toBe('EMAIL,CUSTOMER_ID\r\na@example.com,001\r\nb@example.com,002\r\nc@example.com,003\r\n');
  });
});

describe(`${MembersApi.name} insertOrUpdate`, () => {
  const caller = { call: (): Promise<number> => Promise.resolve(1) } as unknown as SmartFocusCaller;

  it('should refuse, without calling, a match whose value holds whitespace or a pair separator', async () => {
    // SmartFocus refuses a memberUID with spaces or newlines (reference §8.2), and `|` / `:` delimit its pairs.
    const api = new MembersApi(caller);
    await expect(api.insertOrUpdate({ email: 'a@example.com', match: { LASTNAME: 'Van Dam' } })).rejects.toMatchObject({ kind: 'validation', fields: ['memberUID'] });
    await expect(api.insertOrUpdate({ email: 'a@example.com', match: { CUSTOMER_ID: '001|EMAIL:b@example.com' } })).rejects.toMatchObject({ kind: 'validation' });
    await expect(api.insertOrUpdate({ email: ' a@example.com\n' })).rejects.toMatchObject({ kind: 'validation' });
    await expect(api.insertOrUpdate({ email: 'a@example.com', match: { CUSTOMER_ID: '001' } })).resolves.toBe(1);
  });
});
