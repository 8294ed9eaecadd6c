import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { AB_TEST_KPIS, type AbTestKpi } from '@optimove/contracts';
import { CAMPAIGN_STATUSES, type CampaignStatus, type Recurrence } from './campaign-plan';

export class VariantBody {
  @ApiProperty({ example: 'A', maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;

  @ApiProperty({ example: '1200345', description: 'SmartFocus id of an optimove_ template message' })
  @Matches(/^\d{1,20}$/, { message: 'templateMessageId must be a SmartFocus message id (digits)' })
  templateMessageId!: string;

  @ApiProperty({ example: 1, description: 'Relative weight among the variants' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1000)
  weight!: number;
}

const RECURRENCE_DESCRIPTION =
  '{"type":"once","date":"YYYY-MM-DD"} | {"type":"daily","startDate":"YYYY-MM-DD","endDate"?:"YYYY-MM-DD"} | ' +
  '{"type":"weekdays","weekdays":["mon","thu"],"startDate":"YYYY-MM-DD","endDate"?:"YYYY-MM-DD"}';

/** Body of POST /campaigns and PUT /campaigns/{id}. */
export class CampaignBody {
  @ApiProperty({ example: 'Winback November', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  targetGroupId!: string;

  @ApiPropertyOptional({ example: '1200345', description: 'One template message (no A/B test); or give variants' })
  @IsOptional()
  @Matches(/^\d{1,20}$/, { message: 'templateMessageId must be a SmartFocus message id (digits)' })
  templateMessageId?: string;

  @ApiPropertyOptional({ type: [VariantBody], description: 'A/B variants (each its own template message and weight); or give templateMessageId' })
  @IsOptional()
  @ValidateNested({ each: true })
  @ArrayMaxSize(10)
  @Type(() => VariantBody)
  variants?: VariantBody[];

  @ApiProperty({ example: '09:30', description: 'Local send time HH:MM in timeZone' })
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'sendTime must be HH:MM' })
  sendTime!: string;

  @ApiProperty({ example: 'Europe/Berlin', description: 'IANA time zone of sendTime' })
  @IsString()
  @MaxLength(100)
  timeZone!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: RECURRENCE_DESCRIPTION, example: { type: 'weekdays', weekdays: ['mon', 'thu'], startDate: '2026-12-01' } })
  @IsObject()
  recurrence!: Recurrence;

  @ApiProperty({ example: 0.1, minimum: 0, maximum: 0.5, description: 'Share of the assigned customers held out as the control group (0 to 0.5)' })
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 4 })
  @Min(0)
  @Max(0.5)
  controlShare!: number;

  @ApiProperty({ example: 10, description: 'Lower runs first and takes its customers first (1 = highest priority)' })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  priority!: number;

  @ApiProperty({ example: 7, minimum: 1, maximum: 365, description: 'Days after the send during which the response is measured and the customers are kept out of other campaigns' })
  @IsInt()
  @Min(1)
  @Max(365)
  actionDurationDays!: number;

  @ApiPropertyOptional({ enum: AB_TEST_KPIS, description: 'KPI that decides the A/B test; required with two or more variants' })
  @IsOptional()
  @IsIn(AB_TEST_KPIS)
  abTestKpi?: AbTestKpi;
}

export class CampaignView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ format: 'uuid' })
  targetGroupId!: string;

  @ApiProperty({ type: [VariantBody], description: 'One variant when the campaign has a single template message' })
  variants!: VariantBody[];

  @ApiProperty()
  sendTime!: string;

  @ApiProperty()
  timeZone!: string;

  @ApiProperty({ type: 'object', additionalProperties: true })
  recurrence!: Recurrence;

  @ApiProperty()
  controlShare!: number;

  @ApiProperty()
  priority!: number;

  @ApiProperty()
  actionDurationDays!: number;

  @ApiPropertyOptional({ enum: AB_TEST_KPIS, nullable: true })
  abTestKpi!: AbTestKpi | null;

  @ApiProperty({ enum: CAMPAIGN_STATUSES })
  status!: CampaignStatus;

  @ApiProperty({ format: 'uuid', description: 'Fixed at creation: with the customer id it decides control and variant' })
  salt!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}
