import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A quarantined row of an import. `value` is the offending cell (cut to 100 characters), never a personal-data column. */
@Entity({ schema: 'profiles', name: 'import_rejections' })
export class ImportRejectionEntity {
  @PrimaryColumn('uuid', { name: 'import_id', primaryKeyConstraintName: 'import_rejections_pk' })
  importId!: string;

  @PrimaryColumn('bigint', { primaryKeyConstraintName: 'import_rejections_pk', transformer: { to: (value: number) => value, from: (value: string) => Number(value) } })
  line!: number;

  @Column('text', { name: 'column_name', nullable: true })
  column!: string | null;

  @Column('text')
  reason!: string;

  @Column('text', { nullable: true })
  value!: string | null;
}
