import type { StoredCampaignStatus } from './campaign.entity';

/**
 * The state machine of reference §6.3 driven by the simulator's clock: a posted (QUEUED) campaign
 * starts RUNNING at its send date and is COMPLETED `sendDurationMs` later. EDITABLE campaigns do
 * not move. Never goes backwards.
 */
export function statusAt(stored: StoredCampaignStatus, sendDate: Date, now: Date, sendDurationMs: number): StoredCampaignStatus {
  switch (stored) {
    case 'EDITABLE':
    case 'COMPLETED':
      return stored;
    case 'QUEUED':
    case 'RUNNING': {
      const elapsed = now.getTime() - sendDate.getTime();
      if (elapsed < 0) return stored;
      return elapsed >= sendDurationMs ? 'COMPLETED' : 'RUNNING';
    }
  }
}
