import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { CLOCK, type Clock } from '@optimove/clock';
import { SmartFocusClient, SmartFocusNotFoundError, type EmailMessage } from '@optimove/smartfocus-client';
import { SmartFocusDispatchConfig } from '../config/smartfocus-dispatch.config';

/** A template message as the picker shows it. */
export type TemplateMessage = { id: string; name: string; subject: string | null; created: string | null };

/** Newest messages looked at for templates (`getLastEmailMessages`); clones are skipped by name. */
const SCAN_LIMIT = 500;
export const TEMPLATE_PREFIX = 'optimove_';

/** The template-message picker: only `optimove_` messages, cached briefly. */
@Injectable()
export class MessagesService {
  private cache: { at: number; messages: TemplateMessage[] } | undefined;
  // Messages never become templates by renaming in this flow: remember the ones that are not.
  private readonly notTemplates = new Set<number>();

  constructor(
    private readonly client: SmartFocusClient,
    @Inject(SmartFocusDispatchConfig) private readonly config: SmartFocusDispatchConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async templates(): Promise<TemplateMessage[]> {
    const now = this.clock.now().getTime();
    if (this.cache && now - this.cache.at < this.config.DISPATCH_MESSAGES_CACHE_MS) return this.cache.messages;
    const ids = (await this.client.messages.lastEmailMessages(SCAN_LIMIT)).filter((id) => !this.notTemplates.has(id));
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
    this.cache = { at: now, messages: templates };
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
