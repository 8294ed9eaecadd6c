import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** One string demographic criterion of a segment; its values are rows of SegmentCriterionValueEntity. */
@Entity({ schema: 'simulator', name: 'segment_criterion' })
@Index('idx_segment_criterion_segment', ['segmentId'])
export class SegmentCriterionEntity {
  @PrimaryGeneratedColumn('identity', { name: 'criterion_id', type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id!: string;

  @Column({ name: 'segment_id', type: 'bigint' })
  segmentId!: string;

  /** Criteria of one group are OR-ed; groups are AND-ed. */
  @Column({ name: 'group_number', type: 'integer' })
  groupNumber!: number;

  @Column({ name: 'group_name', type: 'text' })
  groupName!: string;

  @Column({ name: 'column_name', type: 'text' })
  columnName!: string;

  @Column({ type: 'text' })
  operator!: string;

  @Column({ name: 'value_count', type: 'integer' })
  valueCount!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

@Entity({ schema: 'simulator', name: 'segment_criterion_value' })
export class SegmentCriterionValueEntity {
  @PrimaryColumn({ name: 'criterion_id', type: 'bigint' })
  criterionId!: string;

  @PrimaryColumn({ type: 'text' })
  value!: string;
}
