import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** An e-mail message (`ApiMessage`). */
@Entity({ schema: 'simulator', name: 'message' })
@Index('idx_message_name', ['name'])
export class MessageEntity {
  @PrimaryGeneratedColumn('identity', { name: 'message_id', type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'text' })
  subject!: string;

  @Column({ name: 'from_name', type: 'text' })
  fromName!: string;

  @Column({ name: 'from_email', type: 'text' })
  fromEmail!: string;

  @Column({ name: 'to_name', type: 'text' })
  toName!: string;

  @Column({ name: 'reply_to', type: 'text' })
  replyTo!: string;

  @Column({ name: 'reply_to_email', type: 'text' })
  replyToEmail!: string;

  /** `[EMV HTMLPART]...[EMV TEXTPART]...` */
  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'text' })
  encoding!: string;

  @Column({ type: 'text' })
  type!: string;

  @Column({ name: 'cloned_from', type: 'bigint', nullable: true })
  clonedFrom!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
