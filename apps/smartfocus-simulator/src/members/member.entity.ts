import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The member table. It holds e-mail addresses and names (SmartFocus does; our own apps never
 * do): the simulator must never log them.
 */
@Entity({ schema: 'simulator', name: 'member' })
@Index('uq_member_email_key', ['emailKey'], { unique: true })
@Index('idx_member_customer_id', ['customerId'])
export class MemberEntity {
  @PrimaryGeneratedColumn('identity', { name: 'member_id', type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id!: string;

  @Column({ type: 'text' })
  email!: string;

  /** lower(email): the merge key. */
  @Column({ name: 'email_key', type: 'text' })
  emailKey!: string;

  @Column({ type: 'text', nullable: true })
  firstname!: string | null;

  @Column({ type: 'text', nullable: true })
  lastname!: string | null;

  /** The retailer's customer ID, text (leading zeros kept). Also indexed as lower(customer_id). */
  @Column({ name: 'customer_id', type: 'text', nullable: true })
  customerId!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
