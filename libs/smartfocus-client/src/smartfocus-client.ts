import type { Logger } from '@optimove/observability';
import { createLogger, registerSecret } from '@optimove/observability';
import { CampaignsApi } from './api/campaigns.api';
import { MembersApi } from './api/members.api';
import { MessagesApi } from './api/messages.api';
import { SegmentsApi } from './api/segments.api';
import { SmartFocusCaller } from './http/smartfocus-caller';
import { registerSmartFocusRedaction } from './redaction/smartfocus-redaction';
import type { SmartFocusClientSettings } from './smartfocus-client.config';
import type { SmartFocusModule } from './types';

/**
 * The SmartFocus API, the only code in the project that speaks it. Methods are grouped by
 * resource; all share the sessions, the concurrency limit, the circuit breaker and the retry
 * policy. Call `close()` on shutdown (the Nest module does) to close the sessions.
 */
export class SmartFocusClient {
  readonly messages: MessagesApi;
  readonly segments: SegmentsApi;
  readonly campaigns: CampaignsApi;
  readonly members: MembersApi;
  private readonly caller: SmartFocusCaller;

  constructor(settings: SmartFocusClientSettings, logger?: Logger) {
    // The password and key travel in the connect/open path, the session token in every other
    // path: mask them wherever they might appear.
    registerSmartFocusRedaction();
    registerSecret(settings.password);
    registerSecret(settings.apiKey);
    const log = (logger ?? createLogger({ service: 'smartfocus-client', level: 'info' })).child({ component: 'smartfocus-client' });
    this.caller = new SmartFocusCaller(settings, log);
    this.messages = new MessagesApi(this.caller);
    this.segments = new SegmentsApi(this.caller, settings.criteriaValuesCap, settings.maxConcurrency);
    this.campaigns = new CampaignsApi(this.caller, log);
    this.members = new MembersApi(this.caller);
  }

  /**
   * Opens the module's session unless one is open. Optional: every call opens its module's
   * session when needed; this lets an app fail fast on bad credentials.
   */
  open(module: SmartFocusModule): Promise<void> {
    return this.caller.open(module);
  }

  /** Closes the open sessions of the given modules (default: all); later calls open new ones. */
  close(modules?: readonly SmartFocusModule[]): Promise<void> {
    return this.caller.close(modules);
  }

  /** Nest lifecycle hook: sessions are closed when the app shuts down. */
  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}
