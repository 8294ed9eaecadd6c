import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '@optimove/clock';
import { SmartFocusClient, SmartFocusNotFoundError, type EmailMessage } from '@optimove/smartfocus-client';
import { SmartFocusDispatchConfig } from '../config/smartfocus-dispatch.config';

/** A template message as the picker shows it. */
export type TemplateMessage = { id: string; name: string; subject: string | null; created: string | null };

export const TEMPLATE_PREFIX = 'optimove_';

/**
 * The template-message picker: only `optimove_` messages, cached briefly. SmartFocus lists messages
 * newest first and every dispatch adds a clone, so each scan looks at the newest
 * DISPATCH_TEMPLATE_SCAN_LIMIT messages for new templates and at the templates found before
 * (`dispatch.template_message`): a template stays listed however many clones came after it, until
 * it is deleted or renamed.
 */
@Injectable()
export class MessagesService {
  private cache: { at: number; messages: TemplateMessage[] } | undefined;
  // Messages never become templates by renaming in this flow: remember the ones that are not.
  private readonly notTemplates = new Set<number>();

  constructor(
    private readonly client: SmartFocusClient,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SmartFocusDispatchConfig) private readonly config: SmartFocusDispatchConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async templates(): Promise<TemplateMessage[]> {
    const now = this.clock.now();
    if (this.cache && now.getTime() - this.cache.at < this.config.DISPATCH_MESSAGES_CACHE_MS) return this.cache.messages;
    const found = (await this.dataSource.query<{ id: string }[]>('SELECT message_id::text AS id FROM dispatch.template_message')).map((row) => Number(row.id));
    const newest = (await this.client.messages.lastEmailMessages(this.config.DISPATCH_TEMPLATE_SCAN_LIMIT)).filter((id) => !this.notTemplates.has(id));
    const ids = [...new Set([...found, ...newest])];
    const messages = await Promise.all(ids.map((id) => this.client.messages.get(id).catch(ignoreMissing)));
    const templates: TemplateMessage[] = [];
    for (const message of messages) {
      if (!message) continue;
      if (!message.name.startsWith(TEMPLATE_PREFIX)) {
        this.notTemplates.add(message.id);
        continue;
      }
      templates.push({ id: String(message.id), name: message.name, subject: message.subject ?? null, created: message.createDate?.toISOString() ?? null });
    }
    const listed = new Set(templates.map((template) => Number(template.id)));
    const gone = found.filter((id) => !listed.has(id));
    await this.dataSource.query(
      'INSERT INTO dispatch.template_message (message_id, found_at) SELECT unnest($1::bigint[]), $2 ON CONFLICT DO NOTHING',
      [[...listed], now],
    );
    if (gone.length > 0) await this.dataSource.query('DELETE FROM dispatch.template_message WHERE message_id = ANY($1::bigint[])', [gone]);
    this.cache = { at: now.getTime(), messages: templates };
    return templates;
  }

  /** The HTML part of an `optimove_` message, rendered by SmartFocus. */
  async previewHtml(id: string): Promise<string> {
    const messageId = Number(id);
    const message = Number.isSafeInteger(messageId) && messageId > 0 ? await this.client.messages.get(messageId).catch(ignoreMissing) : undefined;
    if (!message || !message.name.startsWith(TEMPLATE_PREFIX)) throw new NotFoundException(`No optimove_ template message ${id}`);
    return this.client.messages.preview(messageId, 'HTML');
  }
}

function ignoreMissing(error: unknown): EmailMessage | undefined {
  if (error instanceof SmartFocusNotFoundError) return undefined;
  throw error;
}
