import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import bcrypt from 'bcryptjs';
import { DataSource, LessThan } from 'typeorm';
import { CLOCK, type Clock } from '@optimove/clock';
import { LOGGER, type Logger } from '@optimove/observability';
import { ConsoleConfig } from '../config/console.config';
import { SessionEntity } from '../database/session.entity';
import { SignInThrottle } from './sign-in-throttle';
import type { ConsoleUser } from './user-list';

/** What the browser learns about its own session. */
export type SessionView = { userName: string; csrfToken: string; expiresAt: string };

export const CONSOLE_USERS = Symbol('CONSOLE_USERS');

/** The cost of `main.js hash-password`'s hashes: the unknown-user hash's when no user is configured. */
const DEFAULT_COST = 12;

export type SignInResult = { ok: true; token: string; session: SessionView } | { ok: false; reason: 'bad-credentials' | 'throttled' | 'busy' };

@Injectable()
export class SessionsService {
  private readonly users: Map<string, ConsoleUser>;
  private readonly throttle: SignInThrottle;
  /**
   * Compared against when the user name is unknown, so both answers take as long: of the costliest
   * configured hash's cost (a cheaper one answered an unknown name about 3x faster, telling which
   * names exist).
   */
  private readonly unknownUserHash: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CONSOLE_USERS) users: readonly ConsoleUser[],
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly config: ConsoleConfig,
  ) {
    this.users = new Map(users.map((user) => [user.userName, user]));
    this.throttle = new SignInThrottle(config.CONSOLE_SIGN_IN_MAX_FAILURES, 15 * 60_000);
    const cost = Math.max(...users.map((user) => bcrypt.getRounds(user.passwordHash)), users.length > 0 ? 0 : DEFAULT_COST);
    this.unknownUserHash = bcrypt.hashSync(randomBytes(16).toString('base64url'), cost);
    if (users.length === 0) logger.warn('CONSOLE_USERS is empty: nobody can sign in');
  }

  async signIn(userName: string, password: string): Promise<SignInResult> {
    const now = this.clock.now();
    // The attempt is reserved before the comparison, so a burst of requests cannot all pass the check.
    const reserved = this.throttle.begin(userName, now.getTime());
    if (!reserved.ok) {
      this.logger.warn({ userName }, reserved.reason === 'busy' ? 'Sign-in refused: too many user names are failing at once' : 'Sign-in refused: too many failures for this user name');
      return { ok: false, reason: reserved.reason };
    }
    const user = this.users.get(userName);
    let matches = false;
    try {
      matches = await bcrypt.compare(password, user?.passwordHash ?? this.unknownUserHash);
    } finally {
      if (user && matches) this.throttle.succeed(reserved.attempt);
      else this.throttle.fail(reserved.attempt);
    }
    if (!user || !matches) {
      this.logger.warn({ userName: user ? userName : '<unknown>' }, 'Sign-in refused: wrong user name or password');
      return { ok: false, reason: 'bad-credentials' };
    }
    const token = randomBytes(32).toString('base64url');
    const session: SessionEntity = {
      tokenHash: hashToken(token),
      userName,
      csrfToken: randomBytes(32).toString('base64url'),
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + this.config.CONSOLE_SESSION_MAX_HOURS * 3_600_000),
    };
    const repository = this.dataSource.getRepository(SessionEntity);
    await repository.delete({ expiresAt: LessThan(now) });
    await repository.insert(session);
    this.logger.info({ userName }, 'Signed in');
    return { ok: true, token, session: view(session) };
  }

  /** The live session of a cookie's token, its idle clock restarted; undefined when none. */
  async resume(token: string | undefined): Promise<SessionView | undefined> {
    if (!token) return undefined;
    const now = this.clock.now();
    const idleSince = new Date(now.getTime() - this.config.CONSOLE_SESSION_IDLE_MINUTES * 60_000);
    const rows = await this.dataSource.query<SessionRow[]>(
      `UPDATE console.session SET last_seen_at = $2
        WHERE token_hash = $1 AND expires_at > $2 AND last_seen_at > $3
        RETURNING user_name, csrf_token, expires_at`,
      [hashToken(token), now, idleSince],
    );
    const row = firstRow(rows);
    return row ? { userName: row.user_name, csrfToken: row.csrf_token, expiresAt: new Date(row.expires_at).toISOString() } : undefined;
  }

  async signOut(token: string): Promise<void> {
    await this.dataSource.getRepository(SessionEntity).delete({ tokenHash: hashToken(token) });
  }

  /** Constant-time comparison of the header a write carries with its session's token. */
  static csrfMatches(session: SessionView, header: string | undefined): boolean {
    if (!header) return false;
    const expected = Buffer.from(session.csrfToken);
    const given = Buffer.from(header);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

type SessionRow = { user_name: string; csrf_token: string; expires_at: Date | string };

// `UPDATE ... RETURNING` through the pg driver answers [rows, count] in TypeORM; a SELECT answers rows.
function firstRow(result: SessionRow[] | [SessionRow[], number]): SessionRow | undefined {
  const rows = Array.isArray(result[0]) ? result[0] : (result as SessionRow[]);
  return rows[0];
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function view(session: SessionEntity): SessionView {
  return { userName: session.userName, csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() };
}
