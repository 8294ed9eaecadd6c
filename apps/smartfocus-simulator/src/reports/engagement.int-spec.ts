import { Client } from 'pg';
import { createLogger } from '@optimove/observability';
import { SmartFocusClient } from '@optimove/smartfocus-client';
import {
  SIMULATOR_API_KEY,
  SIMULATOR_LOGIN,
  SIMULATOR_PASSWORD,
  SimulatorAdmin,
  createTestDatabase,
  memberCsv,
  simulatorEnv,
  startTestService,
  testServiceEnv,
  type RunningTestService,
  type TestDatabase,
} from '@optimove/testing';
import { serviceEntry } from '../service-entry';
import { engagementCounts } from './engagement-model';

// The engagement recorded in SQL at the send gives exactly the figures of the reference model in
// engagement-model.ts, day by day, and the template's engagement factor scales opens and clicks.

const API_TOKEN = 'test-api-token-0123456789';
const SEED = 'engagement-test-seed';
const DAY = 86_400_000;

describe('engagement recorded in PostgreSQL', () => {
  let database: TestDatabase;
  let service: RunningTestService;
  let admin: SimulatorAdmin;
  let client: SmartFocusClient;
  let db: Client;

  beforeAll(async () => {
    database = await createTestDatabase('sim_engagement');
    const env = testServiceEnv({ databaseUrl: database.url, amqpUrl: 'amqp://unused', exchange: 'unused', queuePrefix: '' }, { ...simulatorEnv(), API_TOKEN, SIMULATOR_ENGAGEMENT_SEED: SEED });
    service = await startTestService(serviceEntry(env));
    admin = new SimulatorAdmin(service.baseUrl, API_TOKEN);
    client = new SmartFocusClient(
      { baseUrl: service.baseUrl, login: SIMULATOR_LOGIN, password: SIMULATOR_PASSWORD, apiKey: SIMULATOR_API_KEY, requestTimeoutMs: 10_000, retryMaxAttempts: 2, retryInitialDelayMs: 5, retryMaxDelayMs: 20, maxConcurrency: 4, circuitBreakerThreshold: 50, circuitBreakerHalfOpenAfterMs: 200, criteriaValuesCap: 1_000 },
      createLogger({ service: 'test', level: 'silent' }),
    );
    db = new Client({ connectionString: database.url });
    await db.connect();
    await admin.loadMembersCsv(memberCsv(3_000));
  }, 120_000);

  afterAll(async () => {
    await client?.close();
    await db?.end();
    await service?.close();
    await database?.drop();
  }, 60_000);

  async function sendCampaign(templateId: string, name: string, sendDate: Date): Promise<{ campaignId: number; memberIds: string[] }> {
    await admin.setClock(new Date(sendDate.getTime() - DAY));
    const messageId = await client.messages.clone(Number(templateId), name);
    const segmentId = await client.segments.create({ name });
    const created = await client.campaigns.create({ name, sendDate, messageId, segmentId });
    await client.campaigns.post(created.id);
    await admin.setClock(new Date(sendDate.getTime() + 1));
    await client.campaigns.status(created.id);
    const rows = (await db.query<{ id: string }>('SELECT member_id::text AS id FROM simulator.campaign_recipient WHERE campaign_id = $1', [created.id])).rows;
    return { campaignId: created.id, memberIds: rows.map((row) => row.id) };
  }

  it('should report, day after day, exactly what the reference model computes', async () => {
    const [template] = (await admin.seedTemplates()).messages;
    const sendDate = new Date('2026-12-01T08:00:00Z');
    const { campaignId, memberIds } = await sendCampaign(template.id, 'engagement-reference', sendDate);
    expect(memberIds).toHaveLength(3_000);

    for (const day of [1, 2, 7]) {
      await admin.setClock(new Date(sendDate.getTime() + day * DAY));
      const snapshot = await client.campaigns.snapshot(campaignId);
      const expected = engagementCounts(SEED, String(campaignId), memberIds, day * 24);
      expect(snapshot.counts).toEqual({
        selected: expected.nbSelected,
        filtered: expected.nbFiltered,
        delivered: expected.nbDelivered,
        bounces: expected.nbBounce,
        hardBounces: expected.nbHardBounce,
        softBounces: expected.nbSoftBounce,
        complaints: expected.nbComplaint,
        uniqueOpens: expected.nbUniqueOpen,
        uniqueClicks: expected.nbUniqueClick,
        unsubscribes: expected.nbUnsubscribe,
        conversions: expected.nbConversion,
      });
    }
  });

  it("should multiply opens and clicks of campaigns cloned from a template by the template's engagement factor", async () => {
    const templates = (await admin.seedTemplates([{ name: 'optimove_boosted', subject: 'Boost', body: '[EMV HTMLPART]<p>x</p>[EMV TEXTPART]x' }])).messages;
    const boosted = templates[0];
    await admin.setEngagementFactor(boosted.id, 2);
    const sendDate = new Date('2026-12-10T08:00:00Z');
    const { campaignId, memberIds } = await sendCampaign(boosted.id, 'engagement-boosted', sendDate);

    await admin.setClock(new Date(sendDate.getTime() + 7 * DAY));
    const snapshot = await client.campaigns.snapshot(campaignId);
    const plain = engagementCounts(SEED, String(campaignId), memberIds, 7 * 24);
    const doubled = engagementCounts(SEED, String(campaignId), memberIds, 7 * 24, 2);

    expect(snapshot.counts.uniqueOpens).toBe(doubled.nbUniqueOpen);
    expect(snapshot.counts.uniqueClicks).toBe(doubled.nbUniqueClick);
    expect(doubled.nbUniqueOpen / plain.nbUniqueOpen).toBeGreaterThan(1.7);
    expect(doubled.nbUniqueOpen / plain.nbUniqueOpen).toBeLessThan(2.3);
    await expect(admin.setEngagementFactor('999999999', 2)).rejects.toThrow(/404/);
  });
});
