import { Get, Param, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { parseId, parseLimit, requireText } from '../protocol/parameters';
import { RequestBodyReader, xmlText } from '../protocol/request-body';
import { SmartFocusApi, SmartFocusOperation } from '../protocol/smartfocus-operation.decorator';
import { result, type SmartFocusResult } from '../protocol/xml-response';
import type { MessageEntity } from './message.entity';
import { MessagesService } from './messages.service';

@SmartFocusApi('apiccmd')
export class MessagesController {
  constructor(
    private readonly messages: MessagesService,
    private readonly body: RequestBodyReader,
  ) {}

  @Post('message/create/:token')
  @SmartFocusOperation('message/create')
  async create(@Req() request: Request): Promise<SmartFocusResult> {
    const message = await this.body.xml(request, ['message']);
    const id = await this.messages.create({
      name: requireText(xmlText(message, 'name'), 'name'),
      subject: requireText(xmlText(message, 'subject'), 'subject'),
      body: requireText(xmlText(message, 'body'), 'body', 1_000_000),
      description: xmlText(message, 'description') ?? '',
      fromName: xmlText(message, 'from') ?? '',
      fromEmail: xmlText(message, 'fromEmail') ?? '',
      toName: xmlText(message, 'to') ?? '',
      replyTo: xmlText(message, 'replyTo') ?? '',
      replyToEmail: xmlText(message, 'replyToEmail') ?? '',
      encoding: xmlText(message, 'encoding') ?? 'UTF-8',
    });
    return result.long(id);
  }

  @Get('message/getMessage/:token/:id')
  @SmartFocusOperation('message/getMessage')
  async get(@Param('id') id: string): Promise<SmartFocusResult> {
    return result.element('apiMessage', messageXml(await this.messages.get(parseId(id, 'id'))));
  }

  @Get('message/getLastEmailMessages/:token/:limit')
  @SmartFocusOperation('message/getLastEmailMessages')
  async last(@Param('limit') limit: string): Promise<SmartFocusResult> {
    return result.ids(await this.messages.last(parseLimit(limit, 'limit')));
  }

  // Both spellings of the reference (§11.2).
  @Get(['message/getEmailMessagesByField/:token/:field/:value/:limit', 'message/getEmailMessageByField/:token/:field/:value/:limit'])
  @SmartFocusOperation('message/getEmailMessagesByField')
  async byField(@Param('field') field: string, @Param('value') value: string, @Param('limit') limit: string): Promise<SmartFocusResult> {
    return result.ids(await this.messages.byField(field, value, parseLimit(limit, 'limit')));
  }

  @Get('message/getEmailMessagePreview/:token/:id/:part')
  @SmartFocusOperation('message/getEmailMessagePreview')
  async preview(@Param('id') id: string, @Param('part') part: string): Promise<SmartFocusResult> {
    return result.string(await this.messages.preview(parseId(id, 'id'), part));
  }

  @Get('message/cloneMessage/:token/:id/:newName')
  @SmartFocusOperation('message/cloneMessage')
  async clone(@Param('id') id: string, @Param('newName') newName: string): Promise<SmartFocusResult> {
    return result.long(await this.messages.clone(parseId(id, 'id'), requireText(newName, 'newName')));
  }
}

function messageXml(message: MessageEntity): Record<string, string | Date> {
  return {
    id: message.id,
    name: message.name,
    description: message.description,
    subject: message.subject,
    from: message.fromName,
    fromEmail: message.fromEmail,
    to: message.toName,
    replyTo: message.replyTo,
    replyToEmail: message.replyToEmail,
    body: message.body,
    encoding: message.encoding,
    type: message.type,
    createDate: message.createdAt,
  };
}
