import type { EntityManager } from 'typeorm';
import { ZERO_COUNTS, campaignProfile, type EngagementCounts } from './engagement-model';

// The engagement model of engagement-model.ts, computed set-wise in PostgreSQL once per campaign
// when it is sent: each recipient's draws come from the same MD5 words as `uniforms`, its events
// from the same rules, and what is stored is how many recipients had each event in each minute
// after the send. A snapshot then sums the minutes up to its time: no recipient is read into Node,
// so a 1M-recipient snapshot neither takes seconds nor stalls other requests.

/** SQL of one 32-bit word of an MD5 hex digest, as a uniform in [0, 1). */
const word = (digest: string, index: number): string => `(('x' || substr(${digest}, ${index * 8 + 1}, 8))::bit(32)::bigint / 4294967296.0)::float8`;

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
  await manager.query(
    `WITH draws AS (
       SELECT md5($2 || '|' || $1::text || '|' || r.member_id::text || '|1') AS a, md5($2 || '|' || $1::text || '|' || r.member_id::text || '|2') AS b
         FROM simulator.campaign_recipient r WHERE r.campaign_id = $1::bigint
     ),
     u AS (
       SELECT ${word('a', 0)} AS u0, ${word('a', 1)} AS u1, ${word('a', 2)} AS u2, ${word('a', 3)} AS u3,
              ${word('b', 0)} AS u4, ${word('b', 1)} AS u5, ${word('b', 2)} AS u6, ${word('b', 3)} AS u7
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
     timed AS (
       SELECT *,
              CASE WHEN open_at IS NOT NULL AND u5 < $7::float8 THEN open_at + u7 * 2 END AS click_at,
              CASE WHEN open_at IS NOT NULL AND complaint_at IS NULL AND u6 >= 1 - $8::float8 THEN open_at + u7 * 6 END AS unsubscribe_at
         FROM opened
     ),
     events AS (
       SELECT e.event, e.at FROM timed
       CROSS JOIN LATERAL (VALUES
         ('selected', 0::float8),
         ('filtered', CASE WHEN filtered THEN 0 END),
         ('delivered', CASE WHEN delivered THEN 0 END),
         ('bounce_hard', CASE WHEN bounced AND u2 < $5::float8 THEN 0 END),
         ('bounce_soft', CASE WHEN bounced AND u2 >= $5::float8 THEN 0 END),
         ('open', open_at),
         ('click', click_at),
         ('unsubscribe', unsubscribe_at),
         ('complaint', complaint_at),
         ('conversion', CASE WHEN click_at IS NOT NULL AND u4 < $10::float8 THEN click_at + u7 * 48 END)
       ) AS e (event, at)
       WHERE e.at IS NOT NULL
     )
     INSERT INTO simulator.campaign_engagement (campaign_id, event, minute, members)
     SELECT $1::bigint, event, ceil(at * 60)::int, count(*)::int FROM events GROUP BY event, ceil(at * 60)::int
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
