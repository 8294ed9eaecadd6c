import { Client } from 'pg';
import {
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
import { campaignProfile, engagementCounts, type EngagementCounts } from './engagement-model';
import { ReportsService } from './reports.service';

// The engagement recorded in SQL at the send gives exactly the figures of the reference model in
// engagement-model.ts, day by day, and the template's engagement factor scales opens and clicks.

const API_TOKEN = 'test-api-token-0123456789';
const SEED = 'engagement-test-seed';
const DAY = 86_400_000;

describe('engagement recorded in PostgreSQL', () => {
  let database: TestDatabase;
  let service: RunningTestService;
  let admin: SimulatorAdmin;
  let db: Client;

  beforeAll(async () => {
    database = await createTestDatabase('sim_engagement');
    const env = testServiceEnv({ databaseUrl: database.url, amqpUrl: 'amqp://unused', exchange: 'unused', queuePrefix: '' }, { ...simulatorEnv(), API_TOKEN, SIMULATOR_ENGAGEMENT_SEED: SEED });
    service = await startTestService(serviceEntry(env));
    admin = new SimulatorAdmin(service.baseUrl, API_TOKEN);
    db = new Client({ connectionString: database.url });
    await db.connect();
    await admin.loadMembersCsv(memberCsv(3_000));
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    await service?.close();
    await database?.drop();
  }, 60_000);

  /** A posted campaign of every member (a segment without criteria), its message cloned from the template, sent by moving the clock. */
  async function sendCampaign(templateId: string, name: string, sendDate: Date): Promise<{ campaignId: string; memberIds: string[] }> {
    await admin.setClock(new Date(sendDate.getTime() - DAY));
    const message = await db.query<{ id: string }>(`INSERT INTO simulator.message (name, cloned_from, created_at) VALUES ($1, $2, now()) RETURNING message_id::text AS id`, [name, templateId]);
    const segment = await db.query<{ id: string }>(`INSERT INTO simulator.segment (name, sample_type, created_at, updated_at) VALUES ($1, 'ALL', now(), now()) RETURNING segment_id::text AS id`, [name]);
    const campaign = await db.query<{ id: string }>(
      `INSERT INTO simulator.campaign (name, message_id, segment_id, send_date, status, notification, post_click_tracking, emaildedupflg, created_at, updated_at)
       VALUES ($1, $2, $3, $4, 'QUEUED', false, false, true, now(), now()) RETURNING campaign_id::text AS id`,
      [name, message.rows[0].id, segment.rows[0].id, sendDate],
    );
    await admin.setClock(new Date(sendDate.getTime() + 1));
    const campaignId = campaign.rows[0].id;
    const rows = (await db.query<{ id: string }>('SELECT member_id::text AS id FROM simulator.campaign_recipient WHERE campaign_id = $1', [campaignId])).rows;
    return { campaignId, memberIds: rows.map((row) => row.id) };
  }

  function snapshot(campaignId: string): Promise<EngagementCounts> {
    return service.app.get(ReportsService).snapshot(campaignId).then((result) => result.counts);
  }

  it('should report, day after day, exactly what the reference model computes', async () => {
    const [template] = (await admin.seedTemplates()).messages;
    const sendDate = new Date('2026-12-01T08:00:00Z');
    const { campaignId, memberIds } = await sendCampaign(template.id, 'engagement-reference', sendDate);
    expect(memberIds).toHaveLength(3_000);
    const { customerIds, sent } = await admin.recipients(campaignId);
    expect(sent).toBe(true);
    expect(customerIds).toEqual(memberCsv(3_000).trim().split('\n').slice(1).map((line) => line.split(',')[3]).sort());
    await expect(admin.recipients('999999999')).rejects.toThrow(/404/);

    for (const day of [1, 2, 7]) {
      await admin.setClock(new Date(sendDate.getTime() + day * DAY));
      expect(await snapshot(campaignId)).toEqual(engagementCounts(SEED, campaignId, memberIds, day * 24));
    }
  });

  it("should multiply opens and clicks of campaigns cloned from a template by the template's engagement factor", async () => {
    const templates = (await admin.seedTemplates([{ name: 'optimove_boosted', subject: 'Boost', body: '[EMV HTMLPART]<p>x</p>[EMV TEXTPART]x' }])).messages;
    const boosted = templates[0];
    await admin.setEngagementFactor(boosted.id, 2);
    const sendDate = new Date('2026-12-10T08:00:00Z');
    const { campaignId, memberIds } = await sendCampaign(boosted.id, 'engagement-boosted', sendDate);

    await admin.setClock(new Date(sendDate.getTime() + 7 * DAY));
    const counts = await snapshot(campaignId);
    const plain = engagementCounts(SEED, campaignId, memberIds, 7 * 24);
    const doubled = engagementCounts(SEED, campaignId, memberIds, 7 * 24, 2);

    expect(counts).toEqual(doubled);
    // The rates a demo sizes its planted effect on: the campaign's own and the template's factor.
    expect(await admin.engagement(campaignId)).toEqual({ campaignId, engagementFactor: 2, rates: campaignProfile(SEED, campaignId) });
    expect(campaignProfile(SEED, campaignId, 2).openRate).toBeCloseTo(Math.min(1, 2 * campaignProfile(SEED, campaignId).openRate), 12);
    await expect(admin.engagement('999999999')).rejects.toThrow(/404/);
    expect(counts.nbUniqueClick).toBeGreaterThan(plain.nbUniqueClick);
    expect(doubled.nbUniqueOpen / plain.nbUniqueOpen).toBeGreaterThan(1.7);
    expect(doubled.nbUniqueOpen / plain.nbUniqueOpen).toBeLessThan(2.3);
    await expect(admin.setEngagementFactor('999999999', 2)).rejects.toThrow(/404/);
  });
});
