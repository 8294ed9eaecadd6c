import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** Stored status: EDITABLE or QUEUED until the clock passes the send date, then RUNNING and COMPLETED. */
export type StoredCampaignStatus = 'EDITABLE' | 'QUEUED' | 'RUNNING' | 'COMPLETED';

@Entity({ schema: 'simulator', name: 'campaign' })
@Index('idx_campaign_name', ['name'])
@Index('uq_campaign_message', ['messageId'], { unique: true })
@Index('idx_campaign_due', ['sendDate'], { where: `status IN ('QUEUED', 'RUNNING')` })
export class CampaignEntity {
  @PrimaryGeneratedColumn('identity', { name: 'campaign_id', type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ name: 'message_id', type: 'bigint' })
  messageId!: string;

  @Column({ name: 'segment_id', type: 'bigint' })
  segmentId!: string;

  @Column({ name: 'send_date', type: 'timestamptz' })
  sendDate!: Date;

  @Column({ type: 'text' })
  status!: StoredCampaignStatus;

  @Column({ type: 'boolean' })
  notification!: boolean;

  @Column({ name: 'post_click_tracking', type: 'boolean' })
  postClickTracking!: boolean;

  @Column({ type: 'boolean' })
  emaildedupflg!: boolean;

  /** When the simulator sent it (froze its recipients). */
  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  /** The highest counts reported so far, so a report never decreases (even if the clock is set back). */
  @Column({ name: 'report_high_water', type: 'jsonb', nullable: true })
  reportHighWater!: Record<string, number> | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** A member a campaign was sent to. */
@Entity({ schema: 'simulator', name: 'campaign_recipient' })
export class CampaignRecipientEntity {
  @PrimaryColumn({ name: 'campaign_id', type: 'bigint' })
  campaignId!: string;

  @PrimaryColumn({ name: 'member_id', type: 'bigint' })
  memberId!: string;
}
