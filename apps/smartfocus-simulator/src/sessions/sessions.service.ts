import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { IsNull, type DataSource, type Repository } from 'typeorm';
import { SimulatorClock } from '../clock/simulator-clock';
import { SmartFocusSimulatorConfig } from '../config/smartfocus-simulator.config';
import { FaultsService } from '../faults/faults.service';
import { SmartFocusFault } from '../protocol/smartfocus-fault';
import { SessionEntity } from './session.entity';
import { SESSION_DESCRIPTIONS, sessionVerdict } from './session-verdict';

type TouchedRow = { module: string; opened_at: Date; previous_use: Date; call_count: number; closed_reason: string | null };

/** `connect/open` and `connect/close`, and the token check of every other call. */
@Injectable()
export class SessionsService {
  constructor(
    @InjectRepository(SessionEntity) private readonly sessions: Repository<SessionEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SmartFocusSimulatorConfig) private readonly config: SmartFocusSimulatorConfig,
    private readonly clock: SimulatorClock,
    private readonly faults: FaultsService,
  ) {}

  async open(module: string, login: string, password: string, key: string): Promise<string> {
    if (!login) throw new SmartFocusFault('OPEN_CONNECTION_FAILED', 'The login parameter is missing.', ['login']);
    if (!sameSecret(login, this.config.SIMULATOR_LOGIN) || !sameSecret(password, this.config.SIMULATOR_PASSWORD)) {
      throw new SmartFocusFault('OPEN_CONNECTION_FAILED', 'No manager retrieved for those login, password.', ['login', 'password']);
    }
    if (!sameSecret(key, this.config.SIMULATOR_API_KEY)) {
      throw new SmartFocusFault('OPEN_CONNECTION_FAILED', 'Error while decoding managerKey', ['key']);
    }
    const token = randomBytes(24).toString('base64url');
    const now = this.clock.now();
    await this.sessions.insert({ token, module, openedAt: now, lastUsedAt: now, callCount: 0, closedAt: null, closedReason: null });
    return token;
  }

  async close(module: string, token: string): Promise<void> {
    const result = await this.sessions.update({ token, module, closedAt: IsNull() }, { closedAt: this.clock.now(), closedReason: 'closed' });
    if (!result.affected) throw new SmartFocusFault('CHECK_SESSION_FAILED', SESSION_DESCRIPTIONS.closed, ['token']);
  }

  /** Counts a call on the token and refuses it (CHECK_SESSION_FAILED) when the session is not usable. */
  async check(module: string, token: string | undefined): Promise<void> {
    if (!token) throw new SmartFocusFault('CHECK_SESSION_FAILED', 'You must fill in the token parameter', ['token']);
    const now = this.clock.now();
    const rows = await this.dataSource.query<[TouchedRow[], number]>(
      `UPDATE simulator.session s SET call_count = s.call_count + 1, last_used_at = $2
         FROM (SELECT token, last_used_at FROM simulator.session WHERE token = $1 FOR UPDATE) previous
        WHERE s.token = previous.token
        RETURNING s.module, s.opened_at, previous.last_used_at AS previous_use, s.call_count, s.closed_reason`,
      [token, now],
    );
    const row = rows[0][0];
    if (!row) throw new SmartFocusFault('CHECK_SESSION_FAILED', 'Please enter a valid token to validate your connection.', ['token']);
    const verdict = sessionVerdict(
      { module: row.module, openedAt: row.opened_at, previousUseAt: row.previous_use, callCount: row.call_count, closedReason: row.closed_reason },
      module,
      now,
      {
        lifetimeMs: this.config.SIMULATOR_TOKEN_LIFETIME_MINUTES * 60_000,
        idleTimeoutMs: this.config.SIMULATOR_IDLE_TIMEOUT_MINUTES * 60_000,
        callCap: this.faults.current().sessionCallCap ?? this.config.SIMULATOR_SESSION_CALL_CAP,
      },
    );
    if (verdict === 'ok') return;
    if (verdict !== 'closed' && verdict !== 'wrong-module') {
      await this.sessions.update({ token, closedAt: IsNull() }, { closedAt: now, closedReason: verdict });
    }
    throw new SmartFocusFault('CHECK_SESSION_FAILED', SESSION_DESCRIPTIONS[verdict], ['token']);
  }

  /** Forced expiry (a fault): every open session dies now. Returns how many. */
  async expireAll(): Promise<number> {
    const result = await this.sessions.update({ closedAt: IsNull() }, { closedAt: this.clock.now(), closedReason: 'forced-expiry' });
    return result.affected ?? 0;
  }

  async openCount(): Promise<number> {
    return this.sessions.countBy({ closedAt: IsNull() });
  }
}

function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string): Buffer => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
