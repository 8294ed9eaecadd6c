import type { Logger } from '@optimove/observability';
import { registerSecret } from '@optimove/observability';
import type { SmartFocusModule } from '../types';

type SessionEntry = { promise: Promise<string>; token?: string };

export type SessionPoolPorts = {
  open: (module: SmartFocusModule) => Promise<string>;
  close: (module: SmartFocusModule, token: string) => Promise<void>;
  logger: Logger;
};

/**
 * One session token per module, opened on first use and shared by concurrent calls. A refused
 * token is dropped only if it is still the current one, so calls that fail together re-open once.
 */
export class SessionPool {
  private readonly entries = new Map<SmartFocusModule, SessionEntry>();

  constructor(private readonly ports: SessionPoolPorts) {}

  token(module: SmartFocusModule): Promise<string> {
    const existing = this.entries.get(module);
    if (existing) return existing.promise;
    const entry: SessionEntry = {
      promise: this.ports.open(module).then(
        (token) => {
          // Mask the token in every later log line and error message.
          registerSecret(token);
          entry.token = token;
          this.ports.logger.info({ module }, 'SmartFocus session opened');
          return token;
        },
        (error: unknown) => {
          if (this.entries.get(module) === entry) this.entries.delete(module);
          throw error;
        },
      ),
    };
    this.entries.set(module, entry);
    return entry.promise;
  }

  /** Forgets `token` if it is still the module's current one (a newer token is kept). */
  invalidate(module: SmartFocusModule, token: string): void {
    if (this.entries.get(module)?.token === token) this.entries.delete(module);
  }

  /** Closes the open sessions (of the given modules, or all); failures are logged, not thrown (the tokens expire anyway). */
  async close(modules?: readonly SmartFocusModule[]): Promise<void> {
    const entries = [...this.entries.entries()].filter(([module]) => !modules || modules.includes(module));
    for (const [module] of entries) this.entries.delete(module);
    await Promise.all(
      entries.map(async ([module, entry]) => {
        const token = await entry.promise.catch(() => undefined);
        if (token === undefined) return;
        try {
          await this.ports.close(module, token);
          this.ports.logger.info({ module }, 'SmartFocus session closed');
        } catch (error) {
          this.ports.logger.warn({ module, error: error instanceof Error ? error.message : String(error) }, 'Could not close the SmartFocus session');
        }
      }),
    );
  }
}
