import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A batch upload (`mergeUpload`) or an admin CSV load. */
@Entity({ schema: 'simulator', name: 'member_upload' })
export class MemberUploadEntity {
  @PrimaryGeneratedColumn('identity', { name: 'upload_id', type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id!: string;

  /** mergeUpload or admin-csv. */
  @Column({ type: 'text' })
  kind!: string;

  @Column({ name: 'file_name', type: 'text' })
  fileName!: string;

  /** STORAGE, VALIDATED, QUEUED, IMPORTING, DONE, DONE WITH ERROR(S), ERROR, FAILURE. */
  @Column({ type: 'text' })
  status!: string;

  /** Line numbers and reasons of rejected rows; never their content. */
  @Column({ type: 'text' })
  details!: string;

  @Column({ name: 'rows_read', type: 'integer' })
  rowsRead!: number;

  @Column({ name: 'rows_merged', type: 'integer' })
  rowsMerged!: number;

  @Column({ name: 'rows_rejected', type: 'integer' })
  rowsRejected!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
