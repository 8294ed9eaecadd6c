// The SmartFocus simulator seen from a test: the credentials it is started with, its admin API
// over HTTP (clock, faults, template messages, members) and member CSV files.

export const SIMULATOR_LOGIN = 'optimove-api';
/** Characters that must be URL-encoded, to prove the client encodes the path. */
export const SIMULATOR_PASSWORD = 'p@ss/w0rd?#s3cret';
export const SIMULATOR_API_KEY = 'manager-key-5f1c0de2a9';

export function simulatorEnv(): Record<string, string> {
  return { SIMULATOR_LOGIN, SIMULATOR_PASSWORD, SIMULATOR_API_KEY };
}

export type OperationFaults = { operation: string; errorRate?: number; dropRate?: number; failNext?: number; dropNext?: number; latencyMs?: number };

/** The simulator's admin API (bearer token). */
export class SimulatorAdmin {
  constructor(
    private readonly baseUrl: string,
    private readonly apiToken: string,
  ) {}

  /** The simulated time now. */
  async now(): Promise<Date> {
    const clock = (await this.send('GET', '/admin/clock')) as { now: string };
    return new Date(clock.now);
  }

  setClock(now: Date): Promise<unknown> {
    return this.send('PUT', '/admin/clock', { now: now.toISOString() });
  }

  advanceClock(by: { days?: number; hours?: number; minutes?: number }): Promise<unknown> {
    return this.send('POST', '/admin/clock/advance', by);
  }

  setFaults(faults: { latencyMs?: number; sessionCallCap?: number; operations?: OperationFaults[] }): Promise<unknown> {
    return this.send('PUT', '/admin/faults', faults);
  }

  faults(): Promise<{ operations: Record<string, { failNext: number; dropNext: number }> }> {
    return this.send('GET', '/admin/faults') as Promise<{ operations: Record<string, { failNext: number; dropNext: number }> }>;
  }

  resetFaults(): Promise<unknown> {
    return this.send('DELETE', '/admin/faults');
  }

  expireSessions(): Promise<{ expired: number }> {
    return this.send('POST', '/admin/faults/expire-sessions') as Promise<{ expired: number }>;
  }

  seedTemplates(messages?: { name: string; subject: string; body: string }[]): Promise<{ messages: { id: string; name: string }[] }> {
    return this.send('POST', '/admin/messages/templates', messages ? { messages } : {}) as Promise<{ messages: { id: string; name: string }[] }>;
  }

  /** Opens and clicks of campaigns cloned from this template message (sent afterwards) are multiplied by `factor`. */
  setEngagementFactor(templateMessageId: string, factor: number): Promise<{ messageId: string; factor: number }> {
    return this.send('PUT', `/admin/messages/${templateMessageId}/engagement-factor`, { factor }) as Promise<{ messageId: string; factor: number }>;
  }

  /** The customer ids a campaign was sent to (empty until its send). */
  recipients(campaignId: string): Promise<{ campaignId: string; sent: boolean; customerIds: string[] }> {
    return this.send('GET', `/admin/campaigns/${campaignId}/recipients`) as Promise<{ campaignId: string; sent: boolean; customerIds: string[] }>;
  }

  /** A campaign's own engagement rates (drawn from the seed and its id) and its template message's factor. */
  engagement(campaignId: string): Promise<{ campaignId: string; engagementFactor: number; rates: Record<string, number> }> {
    return this.send('GET', `/admin/campaigns/${campaignId}/engagement`) as Promise<{ campaignId: string; engagementFactor: number; rates: Record<string, number> }>;
  }

  async loadMembersCsv(csv: string): Promise<{ rowsRead: number; inserted: number; updated: number; rejected: number; rejections: string[] }> {
    const response = await fetch(`${this.baseUrl}/admin/members/csv`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${this.apiToken}`, 'Content-Type': 'text/csv' },
      body: csv,
    });
    if (!response.ok) throw new Error(`admin CSV load failed: ${response.status} ${await response.text()}`);
    return (await response.json()) as { rowsRead: number; inserted: number; updated: number; rejected: number; rejections: string[] };
  }

  private async send(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${this.apiToken}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`admin ${method} ${path} failed: ${response.status} ${await response.text()}`);
    return response.json();
  }
}

/** A member CSV of `count` members with customer IDs `C000001`...; `prefix` keeps files apart. */
export function memberCsv(count: number, prefix = 'C', start = 1): string {
  const lines = ['EMAIL,FIRSTNAME,LASTNAME,CUSTOMER_ID'];
  for (let index = start; index < start + count; index++) {
    const id = `${prefix}${String(index).padStart(6, '0')}`;
    lines.push(`member.${id.toLowerCase()}@example.com,First${index},Last${index},${id}`);
  }
  return `${lines.join('\n')}\n`;
}
