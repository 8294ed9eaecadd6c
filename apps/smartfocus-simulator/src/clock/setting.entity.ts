import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Simulator settings that survive a restart: the clock offset, the faults. */
@Entity({ schema: 'simulator', name: 'setting' })
export class SettingEntity {
  /** `clock` or `faults`. */
  @PrimaryColumn({ type: 'text' })
  key!: string;

  @Column({ type: 'jsonb' })
  value!: object;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
