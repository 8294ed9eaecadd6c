import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** An `insertOrUpdateMember` job (processed at once; its status is kept for `getMemberJobStatus`). */
@Entity({ schema: 'simulator', name: 'member_job' })
export class MemberJobEntity {
  @PrimaryGeneratedColumn('identity', { name: 'job_id', type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id!: string;

  /** Insert, Processing, Processed, Error. */
  @Column({ type: 'text' })
  status!: string;

  @Column({ name: 'members_changed', type: 'integer' })
  membersChanged!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
