import { Client } from 'pg';
import { createLogger } from '@optimove/observability';
import {
  EMPTY_SEGMENT_STATUS,
  SmartFocusEmptySegmentError,
  SmartFocusClient,
  SmartFocusNotFoundError,
  SmartFocusValidationError,
  type SmartFocusError,
} from '@optimove/smartfocus-client';
import { createTestDatabase, memberCsv, SimulatorAdmin, simulatorEnv, type TestDatabase } from '@optimove/testing';
import { clientSettings } from './client-settings';
import { API_TOKEN, startSimulator, type RunningSimulator } from './simulator-process';

// The client against the simulator over real HTTP: every client method, the one-campaign-per-
// message rule, segment counts against the member table, the campaign state machine on the
// simulator's clock, the snapshot growing day by day, and state surviving a restart.

const DAY = 86_400_000;

describe('SmartFocus client against the simulator (contract)', () => {
  let database: TestDatabase;
  let simulator: RunningSimulator;
  let client: SmartFocusClient;
  let admin: SimulatorAdmin;
  let db: Client;

  function connect(): void {
    admin = new SimulatorAdmin(simulator.baseUrl, API_TOKEN);
    client = new SmartFocusClient(clientSettings(simulator.baseUrl), createLogger({ service: 'test', level: process.env['TEST_LOG_LEVEL'] ?? 'silent' }));
  }

  beforeAll(async () => {
    database = await createTestDatabase('sf_contract');
    simulator = await startSimulator(database.url);
    connect();
    db = new Client({ connectionString: database.url });
    await db.connect();
  });

  afterAll(async () => {
    await client?.close();
    await db?.end();
    await simulator?.stop();
    await database?.drop();
  });

  async function sessionCalls(): Promise<number> {
    const rows = await db.query<{ calls: number }>('SELECT coalesce(sum(call_count), 0)::int AS calls FROM simulator.session');
    return rows.rows[0].calls;
  }

  it('should list, read, preview and clone template messages, and create a message', async () => {
    const seeded = await admin.seedTemplates();
    const winback = seeded.messages.find((message) => message.name === 'optimove_winback')!;

    const last = await client.messages.lastEmailMessages(10);
    expect(last).toEqual(seeded.messages.map((message) => Number(message.id)).reverse());
    const names = await Promise.all(last.map(async (id) => (await client.messages.get(id)).name));
    expect(names.filter((name) => name.startsWith('optimove_')).sort()).toEqual(['optimove_vip_thanks', 'optimove_welcome', 'optimove_winback']);

    expect(await client.messages.byField('name', 'optimove_winback', 5)).toEqual([Number(winback.id)]);
    const message = await client.messages.get(Number(winback.id));
    expect(message).toMatchObject({ id: Number(winback.id), name: 'optimove_winback', subject: 'We miss you', type: 'email' });
    expect(message.createDate).toBeInstanceOf(Date);

    expect(await client.messages.preview(Number(winback.id), 'HTML')).toBe('<html><body><p>Come back for 20% off.</p></body></html>');
    expect(await client.messages.preview(Number(winback.id), 'TEXT')).toBe('Come back for 20% off.');

    const cloneName = 'exec-42/group A (clone)';
    const cloneId = await client.messages.clone(Number(winback.id), cloneName);
    expect(cloneId).not.toBe(Number(winback.id));
    expect(await client.messages.get(cloneId)).toMatchObject({ name: cloneName, subject: 'We miss you', body: message.body });

    const createdId = await client.messages.create({ name: 'optimove_new', subject: 'Hi & <welcome>', body: '[EMV HTMLPART]<b>Hi</b>[EMV TEXTPART]Hi', from: 'Shop', fromEmail: 'shop@retail.example' });
    expect(await client.messages.get(createdId)).toMatchObject({ name: 'optimove_new', subject: 'Hi & <welcome>' });

    await expect(client.messages.get(999)).rejects.toMatchObject({ kind: 'not-found', status: 'MESSAGE_NOT_FOUND' });
  });

  it('should build segments whose counts match the member table, loaded by CSV, by member and by batch upload', async () => {
    const loaded = await admin.loadMembersCsv(memberCsv(2_500));
    expect(loaded).toMatchObject({ rowsRead: 2_500, inserted: 2_500, rejected: 0 });

    // 2,400 IDs of which 2,000 are members (C000501..C002500) and 400 are not; in chunks of 1,000.
    const ids = Array.from({ length: 2_400 }, (_, index) => `C${String(index + 501).padStart(6, '0')}`);
    const segmentId = await client.segments.create({ name: 'exec-42 group A', description: 'contract' });
    expect(await client.segments.count(segmentId)).toBe(2_500); // no criteria yet: everyone
    expect(await client.segments.addCustomerIdCriteria(segmentId, ids)).toBe(3);
    expect(await client.segments.count(segmentId)).toBe(2_000);
    const inTable = await db.query<{ count: number }>('SELECT count(*)::int AS count FROM simulator.member WHERE customer_id = ANY($1)', [ids]);
    expect(inTable.rows[0].count).toBe(2_000);

    // A new member with one of the listed IDs joins the segment (insertOrUpdateMember).
    const jobId = await client.members.insertOrUpdate({ email: 'late.joiner@example.com', fields: { FIRSTNAME: 'Late', CUSTOMER_ID: 'C002900' } });
    expect(await client.members.jobStatus(jobId)).toBe('Processed');
    expect(await client.segments.count(segmentId)).toBe(2_001);
    // Updating by customer ID changes the member found by it, not a new one.
    await client.members.insertOrUpdate({ email: 'late.joiner@example.com', match: { CUSTOMER_ID: 'C002900' }, fields: { LASTNAME: 'Joiner' } });
    const joiner = await db.query('SELECT firstname, lastname FROM simulator.member WHERE customer_id = $1', ['C002900']);
    expect(joiner.rows).toEqual([{ firstname: 'Late', lastname: 'Joiner' }]);
    // No match by customer ID: a member is inserted with that ID.
    await client.members.insertOrUpdate({ email: 'new.by.id@example.com', match: { CUSTOMER_ID: 'C002899' } });
    expect(await client.segments.count(segmentId)).toBe(2_002);
    // Changing a member's address to another member's is refused.
    await expect(client.members.insertOrUpdate({ email: 'x@example.com', match: { CUSTOMER_ID: 'C002899' }, fields: { EMAIL: 'late.joiner@example.com' } })).rejects.toMatchObject({
      kind: 'validation',
      status: 'ISTUPD_MEMBER_FAILED',
    });

    // Batch merge: 3 new members with listed IDs and one bad row.
    const uploadId = await client.members.mergeUpload({
      fileName: 'members.csv',
      columns: ['EMAIL', 'FIRSTNAME', 'LASTNAME', 'CUSTOMER_ID'],
      skipFirstLine: true,
      content: 'email,first,last,id\r\nb1@example.com,B,One,C002801\r\nb2@example.com,B,Two,C002802\r\nnot-an-address,X,Y,C002803\r\nb3@example.com,B,Three,C002804\r\n',
    });
    expect(await client.members.uploadStatus(uploadId)).toMatchObject({ uploadId, status: 'DONE WITH ERROR(S)', state: 'done-with-errors' });
    expect(await client.segments.count(segmentId)).toBe(2_005);

    // A criterion of another group is AND-ed with the customer IDs.
    await client.segments.addStringDemographic(segmentId, { groupName: 'GROUP 2', groupNumber: 2, columnName: 'EMAIL', operator: 'ENDS_WITH', values: ['0@example.com'] });
    const both = await db.query<{ count: number }>(
      "SELECT count(*)::int AS count FROM simulator.member WHERE customer_id = ANY($1) AND email LIKE '%0@example.com'",
      [ids],
    );
    expect(both.rows[0].count).toBeGreaterThan(100);
    expect(await client.segments.count(segmentId)).toBe(both.rows[0].count);

    expect(await client.segments.get(segmentId)).toMatchObject({ id: segmentId, name: 'exec-42 group A', sampleType: 'ALL' });
    expect((await client.segments.list(1, 50)).map((segment) => segment.id)).toContain(segmentId);

    const spare = await client.segments.create({ name: 'to delete' });
    expect(await client.segments.delete(spare)).toBe(true);
    await expect(client.segments.get(spare)).rejects.toBeInstanceOf(SmartFocusNotFoundError);
  });

  it('should refuse a memberUID holding spaces or newlines, even around it, as SmartFocus does', async () => {
    const rest = `${simulator.baseUrl}/apimember/services/rest`;
    const query = new URLSearchParams({ login: 'optimove-api', password: simulatorEnv()['SIMULATOR_PASSWORD'], key: simulatorEnv()['SIMULATOR_API_KEY'] });
    const token = /<result[^>]*>([^<]+)<\/result>/.exec(await (await fetch(`${rest}/connect/open?${query.toString()}`)).text())![1];
    const upsert = async (memberUid: string): Promise<{ status: number; body: string }> => {
      const response = await fetch(`${rest}/member/insertOrUpdateMember/${token}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/xml' },
        body: `<synchroMember>\n  <memberUID>${memberUid}</memberUID>\n  <dynContent>\n    <entry><key>FIRSTNAME</key><value>Uid</value></entry>\n  </dynContent>\n  <email>uid.check@example.com</email>\n</synchroMember>`,
      });
      return { status: response.status, body: await response.text() };
    };

    for (const memberUid of ['\n    EMAIL:uid.check@example.com\n  ', 'LASTNAME:Van Dam']) {
      expect(await upsert(memberUid)).toEqual({ status: 500, body: expect.stringContaining('<fields>memberUID</fields><status>ISTUPD_MEMBER_FAILED</status>') as string });
    }
    expect((await upsert('EMAIL:uid.check@example.com')).status).toBe(200);
    await expect(client.members.insertOrUpdate({ email: 'uid.check@example.com', match: { LASTNAME: 'Van Dam' } })).rejects.toBeInstanceOf(SmartFocusValidationError);
    expect((await fetch(`${rest}/connect/close/${token}`)).status).toBe(200);
  });

  it('should refuse a criterion over the values cap as a validation error, without retrying it', async () => {
    const segmentId = await client.segments.create({ name: 'cap' });
    const tooMany = Array.from({ length: 1_001 }, (_, index) => `X${index}`);
    // The client refuses before sending; a client with a larger cap gets the simulator's refusal, once.
    await expect(client.segments.addStringDemographic(segmentId, { columnName: 'CUSTOMER_ID', operator: 'EQUALS', values: tooMany })).rejects.toBeInstanceOf(
      SmartFocusValidationError,
    );
    const generous = new SmartFocusClient(clientSettings(simulator.baseUrl, { criteriaValuesCap: 5_000 }), createLogger({ service: 'test', level: 'silent' }));
    try {
      await generous.segments.count(segmentId); // opens the session
      const before = await sessionCalls();
      const error = (await generous.segments
        .addStringDemographic(segmentId, { columnName: 'CUSTOMER_ID', operator: 'EQUALS', values: tooMany })
        .catch((caught: unknown) => caught)) as SmartFocusError;
      expect(error).toBeInstanceOf(SmartFocusValidationError);
      expect(error).toMatchObject({ status: 'INVALID_PARAMETERS', fields: ['values'], httpStatus: 500 });
      expect(await sessionCalls()).toBe(before + 1);
    } finally {
      await generous.close();
    }
  });

  it('should refuse a campaign on a segment without criteria with a typed error, creating nothing', async () => {
    const [template] = (await admin.seedTemplates([{ name: 'optimove_empty_segment', subject: 'S', body: 'B' }])).messages;
    const messageId = await client.messages.clone(Number(template.id), 'empty segment clone');
    const segmentId = await client.segments.create({ name: 'no criteria' });
    const campaign = { name: 'on an empty segment', sendDate: new Date('2030-01-01T00:00:00Z'), messageId, segmentId };

    const refused = (await client.campaigns.create(campaign).catch((error: unknown) => error)) as SmartFocusError;
    expect(refused).toBeInstanceOf(SmartFocusEmptySegmentError);
    expect(refused).toBeInstanceOf(SmartFocusValidationError);
    expect(refused).toMatchObject({ status: EMPTY_SEGMENT_STATUS, fields: ['mailingListId'], operation: 'campaign/create' });
    expect(await client.campaigns.findByName('on an empty segment')).toBeUndefined();

    await client.segments.addCustomerIdCriteria(segmentId, ['C000001', 'C000002']);
    expect(await client.segments.criteria(segmentId, 1, 10)).toEqual([
      { order: 0, type: 'stringDemographicCriteria', groupNumber: 1, columnName: 'CUSTOMER_ID', operator: 'EQUALS_CASE_SENSITIVE', values: ['C000001', 'C000002'] },
    ]);
    expect((await client.campaigns.create(campaign)).created).toBe(true);
  });

  it('should write send dates and read dates back in the account time zone, the simulator answering them with their offset', async () => {
    const [template] = (await admin.seedTemplates([{ name: 'optimove_zone', subject: 'S', body: 'B' }])).messages;
    const segmentId = await client.segments.create({ name: 'zone' });
    await client.segments.addCustomerIdCriteria(segmentId, ['C000001']);
    const summer = new Date('2030-07-01T18:30:00Z');
    const { id } = await client.campaigns.create({ name: 'zone summer', sendDate: summer, messageId: await client.messages.clone(Number(template.id), 'zone clone'), segmentId });
    expect((await client.campaigns.get(id)).sendDate).toEqual(summer);
    const stored = await db.query<{ sendDate: Date }>('SELECT send_date AS "sendDate" FROM simulator.campaign WHERE campaign_id = $1', [id]);
    expect(stored.rows[0].sendDate).toEqual(summer);
  });

  it('should run a campaign through EDITABLE, QUEUED, RUNNING and COMPLETED on the simulator clock, with a snapshot that grows and never decreases', async () => {
    const start = new Date('2026-12-01T08:00:00Z');
    await admin.setClock(start);
    const [template] = (await admin.seedTemplates([{ name: 'optimove_lifecycle', subject: 'S', body: '[EMV HTMLPART]x[EMV TEXTPART]x' }])).messages;
    const messageId = await client.messages.clone(Number(template.id), 'exec-7 group B');
    const segmentId = await client.segments.create({ name: 'exec-7 group B' });
    const ids = Array.from({ length: 1_500 }, (_, index) => `C${String(index + 1).padStart(6, '0')}`);
    await client.segments.addCustomerIdCriteria(segmentId, [...ids, 'NOT-A-MEMBER-1', 'NOT-A-MEMBER-2']);
    const sendDate = new Date(start.getTime() + 2 * 3_600_000);

    const created = await client.campaigns.create({ name: 'exec-7 group B', description: 'Win-back', sendDate, messageId, segmentId, notification: false, postClickTracking: true, emailDedup: true });
    expect(created.created).toBe(true);
    // Looked up by name, not created twice.
    expect(await client.campaigns.create({ name: 'exec-7 group B', sendDate, messageId, segmentId })).toEqual({ id: created.id, created: false });
    expect(await client.campaigns.findByName('exec-7 group B')).toBe(created.id);
    expect(await client.campaigns.findByName('no such campaign')).toBeUndefined();
    expect(await client.campaigns.get(created.id)).toMatchObject({ id: created.id, name: 'exec-7 group B', messageId, segmentId, sendDate, status: 'EDITABLE', postClickTracking: true });

    // One message, one campaign.
    const refused = (await client.campaigns
      .create({ name: 'second use of the message', sendDate, messageId, segmentId })
      .catch((error: unknown) => error)) as SmartFocusError;
    expect(refused).toBeInstanceOf(SmartFocusValidationError);
    expect(refused).toMatchObject({ status: 'MESSAGE_ALREADY_USED', fields: ['messageId'] });

    expect(await client.campaigns.post(created.id)).toBe(true);
    expect(await client.campaigns.status(created.id)).toBe('QUEUED');
    expect(await client.campaigns.unpost(created.id)).toBe(true);
    expect(await client.campaigns.status(created.id)).toBe('EDITABLE');
    await expect(client.campaigns.unpost(created.id)).rejects.toMatchObject({ kind: 'validation', status: 'UNPOST_CAMPAIGN_FAILED' });
    await client.campaigns.post(created.id);
    await expect(client.campaigns.post(created.id)).rejects.toMatchObject({ kind: 'validation', status: 'POST_CAMPAIGN_FAILED' });

    const before = await client.campaigns.snapshot(created.id);
    expect(before.counts.selected).toBe(0);
    expect(before.rates).toEqual({ delivery: null, open: null, click: null, unsubscribe: null });

    await admin.advanceClock({ hours: 2, minutes: 1 });
    expect(await client.campaigns.status(created.id)).toBe('RUNNING');
    await expect(client.campaigns.unpost(created.id)).rejects.toMatchObject({ status: 'UNPOST_CAMPAIGN_FAILED' });
    await admin.advanceClock({ hours: 1 });
    expect(await client.campaigns.status(created.id)).toBe('COMPLETED');

    const days = [];
    for (let day = 1; day <= 7; day++) {
      await admin.setClock(new Date(sendDate.getTime() + day * DAY));
      days.push(await client.campaigns.snapshot(created.id));
    }
    const first = days[0];
    const last = days[6];
    expect(first.counts.selected).toBe(1_500); // the members whose CUSTOMER_ID matched
    expect(first.counts.delivered).toBe(first.counts.selected - first.counts.filtered - first.counts.bounces);
    expect(first.counts.bounces).toBe(first.counts.hardBounces + first.counts.softBounces);
    for (const [index, snapshot] of days.entries()) {
      if (index === 0) continue;
      for (const key of Object.keys(snapshot.counts) as (keyof typeof snapshot.counts)[]) {
        expect(snapshot.counts[key]).toBeGreaterThanOrEqual(days[index - 1].counts[key]);
      }
    }
    // Most opens in the first two days; plausible rates.
    expect(days[1].counts.uniqueOpens / last.counts.uniqueOpens).toBeGreaterThan(0.8);
    expect(last.counts.uniqueOpens).toBeGreaterThan(first.counts.uniqueOpens);
    expect(last.rates.delivery).toBeGreaterThan(0.9);
    expect(last.rates.open).toBeGreaterThan(0.1);
    expect(last.rates.open).toBeLessThan(0.45);
    expect(last.rates.click!).toBeLessThan(last.rates.open!);
    expect(last.counts.uniqueClicks).toBeGreaterThan(0);
    expect(last.rates.unsubscribe).toBeLessThan(0.02);
    expect(last.rates.delivery).toBeCloseTo(last.counts.delivered / (last.counts.selected - last.counts.filtered), 10);

    // Setting the clock back never lowers a report.
    await admin.setClock(new Date(sendDate.getTime() + DAY));
    expect((await client.campaigns.snapshot(created.id)).counts).toEqual(last.counts);
  });

  it('should accept the reference\'s other spellings and styles on the wire', async () => {
    const rest = `${simulator.baseUrl}/apiccmd/services/rest`;
    const get = async (path: string, init?: RequestInit): Promise<{ status: number; body: string }> => {
      const response = await fetch(`${rest}/${path}`, init);
      return { status: response.status, body: await response.text() };
    };
    const query = new URLSearchParams({ login: 'optimove-api', password: simulatorEnv()['SIMULATOR_PASSWORD'], key: simulatorEnv()['SIMULATOR_API_KEY'] });
    const opened = await get(`connect/open?${query.toString()}`);
    expect(opened.status).toBe(200);
    expect(opened.body).toMatch(/^<\?xml version="1.0" encoding="utf-8" standalone="yes"\?><response responseStatus="success"><result [^>]*xsi:type="xs:string">/);
    const token = /<result[^>]*>([^<]+)<\/result>/.exec(opened.body)![1];

    const [template] = (await admin.seedTemplates([{ name: 'optimove_spellings', subject: 'S', body: 'B' }])).messages;
    expect((await get(`message/getEmailMessageByField/${token}/name/optimove_spellings/5`)).body).toContain(`<entities><id>${template.id}</id></entities>`);
    const segment = await get(`segmentationservice/${token}/segment`, {
      method: 'PUT',
      headers: { 'Content-Type': 'text/xml; charset=utf-8' },
      body: '<segmentation><name>spellings</name><sampleType>ALL</sampleType></segmentation>',
    });
    const segmentId = /<result[^>]*>(\d+)<\/result>/.exec(segment.body)![1];
    // The object form of campaign/create, with the doc example's mailingListId spelling.
    const created = await get(`campaign/create/${token}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/xml' },
      body: `<campaign><name>object form</name><messageId>${template.id}</messageId><mailingListId>${segmentId}</mailingListId><sendDate>2030-01-01T10:00:00+02:00</sendDate></campaign>`,
    });
    const campaignId = /<result[^>]*>(\d+)<\/result>/.exec(created.body)![1];
    const campaign = await get(`campaign/getCampaign/${token}/${campaignId}`);
    expect(campaign.body).toContain(`<mailinglistId>${segmentId}</mailinglistId><sendDate>2030-01-01T09:00:00+01:00</sendDate><status>EDITABLE</status>`);
    expect((await get(`campaign/getCampaignStatus/${token}/${campaignId}`)).body).toContain('>EDITABLE</result>');
    expect((await get(`campaign/getCampaignSnapshot/${token}/${campaignId}`)).body).toContain('<nbSelected>0</nbSelected>');

    // Errors: HTTP 500 and the failed envelope, for a bad parameter, an unknown path and a bad token.
    const badId = await get(`campaign/get/${token}/abc`);
    expect(badId).toEqual({ status: 500, body: expect.stringContaining('<response responseStatus="failed"><description>id must be a positive integer.</description><fields>id</fields><status>INVALID_PARAMETERS</status></response>') as string });
    expect(await get(`campaign/fly/${token}/1`)).toMatchObject({ status: 500, body: expect.stringContaining('<status>INVALID_PARAMETERS</status>') as string });
    expect(await get(`campaign/get/not-a-token/${campaignId}`)).toMatchObject({ status: 500, body: expect.stringContaining('<status>CHECK_SESSION_FAILED</status>') as string });
    // A token of apiccmd is not valid on apimember.
    const member = await fetch(`${simulator.baseUrl}/apimember/services/rest/member/getMemberJobStatus/${token}/1`);
    expect([member.status, await member.text()]).toEqual([500, expect.stringContaining('No available connection for the specified token.')]);
    expect((await get(`connect/close?token=${token}`)).body).toContain('connection closed');
    expect((await get(`campaign/get/${token}/${campaignId}`)).body).toContain('<status>CHECK_SESSION_FAILED</status>');
  });

  it('should keep its state across a restart', async () => {
    const before = await client.campaigns.findByName('exec-7 group B');
    await client.close();
    await simulator.restart();
    connect();
    const id = await client.campaigns.findByName('exec-7 group B');
    expect(id).toBe(before);
    expect(await client.campaigns.status(id!)).toBe('COMPLETED');
    const snapshot = await client.campaigns.snapshot(id!);
    expect(snapshot.counts.selected).toBe(1_500);
  });

  it('should open sessions per module on demand and close them, one module or all', async () => {
    await client.open('apibatchmember');
    await client.segments.list(1, 1);
    await client.members.jobStatus(1);
    const openModules = async (): Promise<string[]> =>
      (await db.query<{ module: string }>('SELECT module FROM simulator.session WHERE closed_at IS NULL ORDER BY module')).rows.map((row) => row.module);
    expect(await openModules()).toEqual(['apibatchmember', 'apiccmd', 'apimember']);
    await client.close(['apibatchmember']);
    expect(await openModules()).toEqual(['apiccmd', 'apimember']);
    await client.close();
    const open = await db.query<{ module: string }>('SELECT module FROM simulator.session WHERE closed_at IS NULL');
    expect(open.rows).toEqual([]);
    const closed = await db.query<{ count: number }>("SELECT count(*)::int AS count FROM simulator.session WHERE closed_reason = 'closed'");
    expect(closed.rows[0].count).toBeGreaterThanOrEqual(2);
  });

  it('should never log member e-mail addresses or names', () => {
    const text = simulator.logs();
    expect(text.length).toBeGreaterThan(0);
    for (const secret of ['@example.com', 'late.joiner', 'First1', 'Last1', 'Joiner']) expect(text).not.toContain(secret);
  });
});
