import type { EntityManager } from 'typeorm';
import { ZERO_COUNTS, campaignProfile, type EngagementCounts } from './engagement-model';

// The engagement model of engagement-model.ts, computed set-wise in PostgreSQL once per campaign
// when it is sent: each recipient's draws come from the same MD5 words as `uniforms`, its events
// from the same rules, and what is stored is how many recipients had each event in each minute
// after the send. A snapshot then sums the minutes up to its time: no recipient is read into Node,
// so a 1M-recipient snapshot neither takes seconds nor stalls other requests. The draws and the
// event times are MATERIALIZED: inlined, every reference to a draw recomputed its MD5 words
// (minutes of CPU for 1M recipients, bench/smartfocus-report.bench.mjs).

/**
 * SQL of the two 32-bit words (2 x pair, 2 x pair + 1) of an MD5 hex digest, as uniforms in [0, 1):
 * one hex-to-bigint cast per 64 bits (the cast is the costly part) and a division by 2^32 in
 * float8, which is exact (the same doubles as `readUInt32BE(...) / 2 ** 32` in the model).
 */
function words(digest: string, pair: number, names: [string, string]): string {
  const bits = `('x' || substr(${digest}, ${pair * 16 + 1}, 16))::bit(64)::bigint`;
  return `((${bits} >> 32) & 4294967295)::float8 / 4294967296::float8 AS ${names[0]}, (${bits} & 4294967295)::float8 / 4294967296::float8 AS ${names[1]}`;
}

/** Wire names of the events and the snapshot counts they feed. */
const EVENT_COUNTS: Record<string, (keyof EngagementCounts)[]> = {
  selected: ['nbSelected'],
  filtered: ['nbFiltered'],
  delivered: ['nbDelivered'],
  bounce_hard: ['nbBounce', 'nbHardBounce'],
  bounce_soft: ['nbBounce', 'nbSoftBounce'],
  open: ['nbUniqueOpen'],
  click: ['nbUniqueClick'],
  unsubscribe: ['nbUnsubscribe'],
  complaint: ['nbComplaint'],
  conversion: ['nbConversion'],
};

/** The engagement factor of the campaign's template message (the one its message was cloned from), 1 by default. */
export async function engagementFactor(manager: EntityManager, campaignId: string): Promise<number> {
  const rows: { factor: number }[] = await manager.query(
    `SELECT te.factor FROM simulator.campaign c
       JOIN simulator.message m ON m.message_id = c.message_id
       JOIN simulator.template_engagement te ON te.message_id = coalesce(m.cloned_from, m.message_id)
      WHERE c.campaign_id = $1`,
    [campaignId],
  );
  return rows[0]?.factor ?? 1;
}

/** Computes and stores the campaign's engagement from its frozen recipients (once: a repeat adds nothing). */
export async function recordEngagement(manager: EntityManager, seed: string, campaignId: string): Promise<void> {
  const p = campaignProfile(seed, campaignId, await engagementFactor(manager, campaignId));
  // Called inside a transaction: JIT would spend seconds compiling what runs in one pass.
  await manager.query(`SET LOCAL jit = off`);
  await manager.query(
    `WITH draws AS (
       SELECT md5($2 || '|' || $1::text || '|' || r.member_id::text || '|1') AS a, md5($2 || '|' || $1::text || '|' || r.member_id::text || '|2') AS b
         FROM simulator.campaign_recipient r WHERE r.campaign_id = $1::bigint
     ),
     u AS MATERIALIZED (
       SELECT ${words('a', 0, ['u0', 'u1'])}, ${words('a', 1, ['u2', 'u3'])}, ${words('b', 0, ['u4', 'u5'])}, ${words('b', 1, ['u6', 'u7'])}
         FROM draws
     ),
     state AS (
       SELECT *, u0 < $3::float8 AS filtered, u0 >= $3::float8 AND u1 < $4::float8 AS bounced, u0 >= $3::float8 AND u1 >= $4::float8 AS delivered FROM u
     ),
     opened AS (
       SELECT *,
              CASE WHEN delivered AND u6 < $9::float8 THEN 1 + u5 * 47 END AS complaint_at,
              CASE WHEN delivered AND u2 < $6::float8 THEN CASE WHEN u3 < 0.85 THEN -ln(1 - u4) * 8 ELSE 48 + u4 * 120 END END AS open_at
         FROM state
     ),
     timed AS MATERIALIZED (
       SELECT *,
              CASE WHEN open_at IS NOT NULL AND u5 < $7::float8 THEN open_at + u7 * 2 END AS click_at,
              CASE WHEN open_at IS NOT NULL AND complaint_at IS NULL AND u6 >= 1 - $8::float8 THEN open_at + u7 * 6 END AS unsubscribe_at
         FROM opened
     ),
     minutes AS (
       SELECT filtered, delivered, bounced AND u2 < $5::float8 AS bounce_hard, bounced AND u2 >= $5::float8 AS bounce_soft,
              ceil(open_at * 60)::int AS open, ceil(click_at * 60)::int AS click, ceil(unsubscribe_at * 60)::int AS unsubscribe,
              ceil(complaint_at * 60)::int AS complaint,
              ceil(CASE WHEN click_at IS NOT NULL AND u4 < $10::float8 THEN click_at + u7 * 48 END * 60)::int AS conversion
         FROM timed
     ),
     -- One pass: the counts of the events at the send (set 31, grouped by nothing) and, per
     -- minute, of each timed event (the grouping set of its column alone).
     counts AS (
       SELECT GROUPING(open, click, unsubscribe, complaint, conversion) AS grouping_set, open, click, unsubscribe, complaint, conversion,
              count(*)::int AS members, count(*) FILTER (WHERE filtered)::int AS filtered, count(*) FILTER (WHERE delivered)::int AS delivered,
              count(*) FILTER (WHERE bounce_hard)::int AS bounce_hard, count(*) FILTER (WHERE bounce_soft)::int AS bounce_soft
         FROM minutes GROUP BY GROUPING SETS ((), (open), (click), (unsubscribe), (complaint), (conversion))
     )
     INSERT INTO simulator.campaign_engagement (campaign_id, event, minute, members)
     SELECT $1::bigint, e.event, e.minute, e.members
       FROM counts CROSS JOIN LATERAL (VALUES
         ('selected', CASE WHEN grouping_set = 31 THEN 0 END, members),
         ('filtered', CASE WHEN grouping_set = 31 THEN 0 END, filtered),
         ('delivered', CASE WHEN grouping_set = 31 THEN 0 END, delivered),
         ('bounce_hard', CASE WHEN grouping_set = 31 THEN 0 END, bounce_hard),
         ('bounce_soft', CASE WHEN grouping_set = 31 THEN 0 END, bounce_soft),
         ('open', CASE WHEN grouping_set = 15 THEN open END, members),
         ('click', CASE WHEN grouping_set = 23 THEN click END, members),
         ('unsubscribe', CASE WHEN grouping_set = 27 THEN unsubscribe END, members),
         ('complaint', CASE WHEN grouping_set = 29 THEN complaint END, members),
         ('conversion', CASE WHEN grouping_set = 30 THEN conversion END, members)
       ) AS e (event, minute, members)
      WHERE e.minute IS NOT NULL AND e.members > 0
     ON CONFLICT DO NOTHING`,
    [campaignId, seed, p.filterRate, p.bounceRate, p.hardBounceShare, p.openRate, p.clickOfOpeners, p.unsubscribeOfOpeners, p.complaintRate, p.conversionOfClickers],
  );
}

/** The counts `elapsedMinutes` after the send: every event of a minute up to then. */
export async function engagementAt(manager: EntityManager, campaignId: string, elapsedMinutes: number): Promise<{ counts: EngagementCounts; recorded: boolean }> {
  const rows: { event: string; members: number }[] = await manager.query(
    `SELECT event, sum(members) FILTER (WHERE minute <= $2)::int AS members FROM simulator.campaign_engagement WHERE campaign_id = $1 GROUP BY event`,
    [campaignId, Math.floor(elapsedMinutes)],
  );
  const counts = { ...ZERO_COUNTS };
  for (const row of rows) for (const key of EVENT_COUNTS[row.event] ?? []) counts[key] += row.members ?? 0;
  return { counts, recorded: rows.length > 0 };
}
