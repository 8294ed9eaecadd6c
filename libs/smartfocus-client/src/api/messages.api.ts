import type { SmartFocusCaller } from '../http/smartfocus-caller';
import { pathOf } from '../http/smartfocus-caller';
import type { EmailMessage, MessagePreviewPart, NewEmailMessage } from '../types';
import { decodeId, decodeIdList, decodeMessage } from '../xml/decoders';
import { resultText } from '../xml/response-parser';
import { xmlDocument } from '../xml/request-builder';

/** E-mail messages on `apiccmd`: the template picker and the clone made for every campaign. */
export class MessagesApi {
  constructor(
    private readonly caller: SmartFocusCaller,
    /** Dates without an offset are wall-clock times of this zone (SMARTFOCUS_TIME_ZONE). */
    private readonly timeZone: string,
  ) {}

  /** `POST message/create/{token}` with a `<message>`; returns the new message id. */
  create(message: NewEmailMessage): Promise<number> {
    const content = xmlDocument('message', {
      name: message.name,
      description: message.description ?? message.name,
      subject: message.subject,
      from: message.from,
      fromEmail: message.fromEmail,
      to: message.to ?? '',
      replyTo: message.replyTo ?? message.from,
      replyToEmail: message.replyToEmail ?? message.fromEmail,
      body: message.body,
      encoding: message.encoding ?? 'UTF-8',
      type: 'email',
    });
    return this.caller.call(
      {
        module: 'apiccmd',
        operation: 'message/create',
        method: 'POST',
        path: (token) => pathOf('message', 'create', token),
        body: { contentType: 'application/xml; charset=utf-8', content },
        // A retried create after a lost answer would make a second message; the caller owns that choice.
        retryTransient: false,
      },
      decodeId,
    );
  }

  /** `GET message/getMessage/{token}/{id}`. */
  get(id: number): Promise<EmailMessage> {
    return this.caller.get('apiccmd', 'message/getMessage', (token) => pathOf('message', 'getMessage', token, id), (body) => decodeMessage(body, this.timeZone));
  }

  /** `GET message/getLastEmailMessages/{token}/{limit}`: ids, newest first. */
  lastEmailMessages(limit: number): Promise<number[]> {
    return this.caller.get('apiccmd', 'message/getLastEmailMessages', (token) => pathOf('message', 'getLastEmailMessages', token, limit), decodeIdList);
  }

  /**
   * `GET message/getEmailMessageByField/{token}/{field}/{value}/{limit}`: ids of messages whose field
   * equals value. The REST path is singular (SmartFocus's own QA calls it so); the plural
   * `getEmailMessagesByField` is the SOAP operation's name, with no REST evidence (reference §4.2).
   */
  byField(field: string, value: string, limit: number): Promise<number[]> {
    return this.caller.get('apiccmd', 'message/getEmailMessageByField', (token) => pathOf('message', 'getEmailMessageByField', token, field, value, limit), decodeIdList);
  }

  /** The rendered HTML or text part of a message. */
  preview(id: number, part: MessagePreviewPart): Promise<string> {
    return this.caller.get('apiccmd', 'message/getEmailMessagePreview', (token) => pathOf('message', 'getEmailMessagePreview', token, id, part), resultText);
  }

  /**
   * `GET message/cloneMessage/{token}/{id}/{newName}`: the new message's id. Not retried after a
   * transient failure: look the name up (`byField('name', newName, 1)`) before cloning again.
   */
  clone(id: number, newName: string): Promise<number> {
    return this.caller.get('apiccmd', 'message/cloneMessage', (token) => pathOf('message', 'cloneMessage', token, id, newName), decodeId, false);
  }
}
