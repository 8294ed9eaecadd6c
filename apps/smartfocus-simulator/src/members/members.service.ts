import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, type DataSource, type Repository } from 'typeorm';
import { SimulatorClock } from '../clock/simulator-clock';
import { SmartFocusFault } from '../protocol/smartfocus-fault';
import { MemberJobEntity } from './member-job.entity';

/** Member-table columns the simulator holds, by wire name, with their SQL column. */
export const MEMBER_COLUMNS = { EMAIL: 'email', FIRSTNAME: 'firstname', LASTNAME: 'lastname', CUSTOMER_ID: 'customer_id' } as const;
export type MemberColumn = keyof typeof MEMBER_COLUMNS;

export function isMemberColumn(name: string): name is MemberColumn {
  return Object.prototype.hasOwnProperty.call(MEMBER_COLUMNS, name);
}

/** A row to merge on the e-mail address; undefined fields keep their stored value. */
export type MemberRow = { email: string; firstname?: string; lastname?: string; customerId?: string };

export type MergeResult = { inserted: number; updated: number };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isEmail(text: string): boolean {
  return EMAIL.test(text);
}

@Injectable()
export class MembersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(MemberJobEntity) private readonly jobs: Repository<MemberJobEntity>,
    private readonly clock: SimulatorClock,
  ) {}

  /** Inserts or updates rows keyed on lower(email), in one statement. The last row of a repeated address wins. */
  async merge(rows: readonly MemberRow[]): Promise<MergeResult> {
    const unique = [...new Map(rows.map((row) => [row.email.toLowerCase(), row])).values()];
    if (unique.length === 0) return { inserted: 0, updated: 0 };
    const result = await this.dataSource.query<{ inserted: boolean }[]>(
      `INSERT INTO simulator.member AS m (email, email_key, firstname, lastname, customer_id, created_at, updated_at)
       SELECT t.email, lower(t.email), t.firstname, t.lastname, t.customer_id, $5, $5
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(email, firstname, lastname, customer_id)
       ON CONFLICT (email_key) DO UPDATE SET
         email = EXCLUDED.email,
         firstname = coalesce(EXCLUDED.firstname, m.firstname),
         lastname = coalesce(EXCLUDED.lastname, m.lastname),
         customer_id = coalesce(EXCLUDED.customer_id, m.customer_id),
         updated_at = EXCLUDED.updated_at
       RETURNING (xmax = 0) AS inserted`,
      [
        unique.map((row) => row.email),
        unique.map((row) => row.firstname ?? null),
        unique.map((row) => row.lastname ?? null),
        unique.map((row) => row.customerId ?? null),
        this.clock.now(),
      ],
    );
    const inserted = result.filter((row) => row.inserted).length;
    return { inserted, updated: result.length - inserted };
  }

  /**
   * `insertOrUpdateMember`: updates every member matching `match` (AND of field = value), or
   * inserts one when none matches and an e-mail address is given. Returns the job id.
   */
  async insertOrUpdate(match: ReadonlyMap<MemberColumn, string>, fields: ReadonlyMap<MemberColumn, string>, email: string | undefined): Promise<string> {
    const now = this.clock.now();
    const changed = await this.dataSource.transaction(async (manager) => {
      if (match.size > 0) {
        const conditions = [...match.keys()].map((column, index) => `${MEMBER_COLUMNS[column]} = $${index + 1}`);
        const assignments = [...fields.keys()].map((column, index) => `${MEMBER_COLUMNS[column]} = $${match.size + index + 1}`);
        if (fields.has('EMAIL')) assignments.push(`email_key = lower($${match.size + [...fields.keys()].indexOf('EMAIL') + 1})`);
        const updated = await manager.query<[unknown[], number]>(
          `UPDATE simulator.member SET ${[...assignments, `updated_at = $${match.size + fields.size + 1}`].join(', ')}
            WHERE ${conditions.join(' AND ')} RETURNING member_id`,
          [...match.values(), ...fields.values(), now],
        );
        if (updated[1] > 0) return updated[1];
      }
      if (!email) throw new SmartFocusFault('ISTUPD_MEMBER_FAILED', 'No member matches and no e-mail address was given to insert one.', ['email']);
      if (!isEmail(email)) throw new SmartFocusFault('ISTUPD_MEMBER_FAILED', 'The e-mail address is not valid.', ['email']);
      const sql = `INSERT INTO simulator.member AS m (email, email_key, firstname, lastname, customer_id, created_at, updated_at)
                   VALUES ($1, lower($1), $2, $3, $4, $5, $5)
                   ON CONFLICT (email_key) DO UPDATE SET
                     firstname = coalesce(EXCLUDED.firstname, m.firstname), lastname = coalesce(EXCLUDED.lastname, m.lastname),
                     customer_id = coalesce(EXCLUDED.customer_id, m.customer_id), updated_at = EXCLUDED.updated_at`;
      // The new member carries the key it was looked for by, then the given fields.
      const values = new Map([...match, ...fields]);
      await manager.query(sql, [email, values.get('FIRSTNAME') ?? null, values.get('LASTNAME') ?? null, values.get('CUSTOMER_ID') ?? null, now]);
      return 1;
    }).catch((error: unknown) => {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') {
        throw new SmartFocusFault('ISTUPD_MEMBER_FAILED', 'Another member already has that e-mail address.', ['EMAIL']);
      }
      throw error;
    });
    const job = await this.jobs.save(this.jobs.create({ status: 'Processed', membersChanged: changed, createdAt: now }));
    return job.id;
  }

  async jobStatus(jobId: string): Promise<string> {
    const job = await this.jobs.findOneBy({ id: jobId });
    return job?.status ?? 'Job_Done_Or_Does_Not_Exist';
  }

  async count(): Promise<number> {
    const rows = await this.dataSource.query<{ count: number }[]>('SELECT count(*)::int AS count FROM simulator.member');
    return rows[0].count;
  }
}
