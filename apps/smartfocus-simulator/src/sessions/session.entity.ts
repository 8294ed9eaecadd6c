import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A token opened by `connect/open` on one module. */
@Entity({ schema: 'simulator', name: 'session' })
@Index('idx_session_open', ['openedAt'], { where: 'closed_at IS NULL' })
export class SessionEntity {
  @PrimaryColumn({ type: 'text' })
  token!: string;

  /** apiccmd, apimember or apibatchmember. */
  @Column({ type: 'text' })
  module!: string;

  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt!: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz' })
  lastUsedAt!: Date;

  @Column({ name: 'call_count', type: 'integer' })
  callCount!: number;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  /** closed, expired, idle, call-cap, forced-expiry */
  @Column({ name: 'closed_reason', type: 'text', nullable: true })
  closedReason!: string | null;
}
