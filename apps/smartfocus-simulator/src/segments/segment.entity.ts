import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A segment (`ApiSegmentation`); campaigns target it as their `mailinglistId`. */
@Entity({ schema: 'simulator', name: 'segment' })
export class SegmentEntity {
  @PrimaryGeneratedColumn('identity', { name: 'segment_id', type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  description!: string;

  /** ALL, PERCENT or FIX. */
  @Column({ name: 'sample_type', type: 'text' })
  sampleType!: string;

  @Column({ name: 'sample_rate', type: 'double precision', nullable: true })
  sampleRate!: number | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
