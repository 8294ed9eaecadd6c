import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

const RULE_EXAMPLE = {
  all: [
    { field: 'lifecycle_stage', op: 'in', value: ['active', 'at_risk'] },
    { field: 'spend_365d', op: 'gte', value: 100 },
    { not: { field: 'country', op: 'eq', value: 'FR' } },
  ],
};

const RULE_DESCRIPTION =
  'Rule tree: {"all": [nodes]} | {"any": [nodes]} | {"not": node} | {"field", "op", "value"}. Fields and their operators: GET /target-groups/fields. ' +
  'between takes [low, high], in/not_in an array, is_null/is_not_null no value, changed {"from", "to", "withinDays"}.';

/** Body of POST /target-groups and PUT /target-groups/{id}. */
export class TargetGroupBody {
  @ApiProperty({ example: 'Lapsing big spenders', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: RULE_DESCRIPTION, example: RULE_EXAMPLE })
  @IsObject()
  rule!: Record<string, unknown>;
}

/** Body of POST /target-groups/preview. */
export class PreviewRuleBody {
  @ApiProperty({ type: 'object', additionalProperties: true, description: RULE_DESCRIPTION, example: RULE_EXAMPLE })
  @IsObject()
  rule!: Record<string, unknown>;

  @ApiPropertyOptional({ description: "As-of day, YYYY-MM-DD; default the model's date. Another day is computed on the fly (slower).", example: '2026-11-29' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  asOf?: string;
}

export class AsOfQuery {
  @ApiPropertyOptional({ description: "As-of day, YYYY-MM-DD; default the model's date", example: '2026-11-29' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  asOf?: string;
}

export class RuleErrorView {
  @ApiProperty({ example: '$.all[1].value' })
  path!: string;

  @ApiProperty({ example: 'spend_365d is a number field: expected a number' })
  message!: string;
}

export class TargetGroupView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ type: 'object', additionalProperties: true })
  rule!: Record<string, unknown>;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class PreviewView {
  @ApiProperty({ example: '2026-11-29' })
  asOf!: string;

  @ApiProperty({ description: 'Customers the rule selects' })
  count!: number;

  @ApiProperty({ type: [String], description: 'Up to 20 of the selected customer ids (lowest ids first)' })
  sample!: string[];

  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { active: 120, at_risk: 30 } })
  byStage!: Record<string, number>;
}

export class FieldView {
  @ApiProperty({ example: 'spend_365d' })
  name!: string;

  @ApiProperty({ enum: ['enum', 'integer', 'number', 'date', 'text', 'boolean'] })
  type!: string;

  @ApiProperty({ enum: ['model', 'customer', 'attribute'] })
  source!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ type: [String] })
  operators!: string[];

  @ApiPropertyOptional({ type: [String], description: 'Allowed values of an enum field' })
  values?: string[];
}
