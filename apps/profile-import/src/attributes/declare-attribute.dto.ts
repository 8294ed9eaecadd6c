import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ATTRIBUTE_TYPES, type AttributeType } from '../datasets/dataset-definitions';

/** Body of `PUT /attributes/{name}`. */
export class DeclareAttributeDto {
  /** How cells are checked and stored: text, number, date (YYYY-MM-DD) or boolean. */
  @IsIn(ATTRIBUTE_TYPES)
  type!: AttributeType;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}
