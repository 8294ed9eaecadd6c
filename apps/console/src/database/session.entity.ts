import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A signed-in browser. The cookie holds a random token; only its SHA-256 is stored, so a copy of
 * this table opens no session.
 */
@Entity({ schema: 'console', name: 'session' })
@Index('idx_session_expires_at', ['expiresAt'])
export class SessionEntity {
  /** SHA-256 (hex) of the cookie's token. */
  @PrimaryColumn({ name: 'token_hash', type: 'text' })
  tokenHash!: string;

  @Column({ name: 'user_name', type: 'text' })
  userName!: string;

  /** Sent back in the X-CSRF-Token header of every write. */
  @Column({ name: 'csrf_token', type: 'text' })
  csrfToken!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'last_seen_at', type: 'timestamptz' })
  lastSeenAt!: Date;

  /** Sign-in time plus CONSOLE_SESSION_MAX_HOURS: no request extends it. */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
