import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AttributeType } from '../../datasets/dataset-definitions';

/** A custom customer attribute the client declared: a customers file column of that name is loaded into `attributes`. */
@Entity({ schema: 'profiles', name: 'attributes' })
export class AttributeEntity {
  @PrimaryColumn('text')
  name!: string;

  @Column('text')
  type!: AttributeType;

  @Column('text')
  description!: string;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
