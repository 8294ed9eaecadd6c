import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { SimulatorClock } from '../clock/simulator-clock';
import { SmartFocusFault } from '../protocol/smartfocus-fault';
import { MessageEntity } from './message.entity';
import { renderPreview } from './message-preview';

export type NewMessage = Pick<MessageEntity, 'name' | 'subject' | 'body'> &
  Partial<Pick<MessageEntity, 'description' | 'fromName' | 'fromEmail' | 'toName' | 'replyTo' | 'replyToEmail' | 'encoding'>>;

/** Fields `getEmailMessagesByField` can search, by their wire name. */
const SEARCHABLE: Record<string, keyof MessageEntity> = {
  name: 'name',
  subject: 'subject',
  description: 'description',
  from: 'fromName',
  fromemail: 'fromEmail',
};

@Injectable()
export class MessagesService {
  constructor(
    @InjectRepository(MessageEntity) private readonly messages: Repository<MessageEntity>,
    private readonly clock: SimulatorClock,
  ) {}

  async create(message: NewMessage): Promise<string> {
    const saved = await this.messages.save(
      this.messages.create({
        description: '',
        fromName: '',
        fromEmail: '',
        toName: '',
        replyTo: '',
        replyToEmail: '',
        encoding: 'UTF-8',
        ...message,
        type: 'email',
        clonedFrom: null,
        createdAt: this.clock.now(),
      }),
    );
    return saved.id;
  }

  async get(id: string): Promise<MessageEntity> {
    const message = await this.messages.findOneBy({ id });
    if (!message) throw SmartFocusFault.notFound('MESSAGE', 'id', id);
    return message;
  }

  /** Ids, newest first. */
  async last(limit: number): Promise<string[]> {
    const rows = await this.messages.find({ select: { id: true }, order: { id: 'DESC' }, take: limit });
    return rows.map((row) => row.id);
  }

  async byField(field: string, value: string, limit: number): Promise<string[]> {
    const column = SEARCHABLE[field.toLowerCase()];
    if (!column) throw SmartFocusFault.invalid('field', `Messages cannot be searched by ${field}.`);
    const rows = await this.messages.find({ select: { id: true }, where: { [column]: value }, order: { id: 'DESC' }, take: limit });
    return rows.map((row) => row.id);
  }

  async preview(id: string, part: string): Promise<string> {
    const upper = part.toUpperCase();
    if (upper !== 'HTML' && upper !== 'TEXT') throw SmartFocusFault.invalid('part', 'part must be HTML or TEXT.');
    return renderPreview((await this.get(id)).body, upper);
  }

  async clone(id: string, newName: string): Promise<string> {
    const { id: _id, createdAt: _createdAt, ...original } = await this.get(id);
    const saved = await this.messages.save(this.messages.create({ ...original, name: newName, clonedFrom: id, createdAt: this.clock.now() }));
    return saved.id;
  }
}
