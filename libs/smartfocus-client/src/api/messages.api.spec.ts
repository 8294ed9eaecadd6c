import type { SmartFocusCaller } from '../http/smartfocus-caller';
import { MessagesApi } from './messages.api';

describe(MessagesApi.name, () => {
  it('should look messages up by field on the REST path SmartFocus answers when searching by name', async () => {
    // The REST operation is `getEmailMessageByField` (SmartFocus's own QA suite calls it so);
    // `getEmailMessagesByField` is the SOAP operation's name (reference §4.2, §11.2).
    const paths: string[] = [];
    const caller = {
      get: (_module: string, _operation: string, path: (token: string) => string): Promise<number[]> => {
        paths.push(path('TOKEN123'));
        return Promise.resolve([]);
      },
    } as unknown as SmartFocusCaller;

    await new MessagesApi(caller, 'UTC').byField('name', 'optimove_x y', 10);

    expect(paths).toEqual(['message/getEmailMessageByField/TOKEN123/name/optimove_x%20y/10']);
  });
});
