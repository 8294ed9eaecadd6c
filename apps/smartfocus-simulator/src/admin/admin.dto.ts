import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsISO8601, IsNotEmpty, IsNumber, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';

export class SetClockDto {
  @ApiProperty({ example: '2026-11-27T20:00:00Z', description: 'The simulated instant; the clock keeps running from there.' })
  @IsISO8601({ strict: true })
  now!: string;
}

export class AdvanceClockDto {
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(31_536_000_000) milliseconds?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(525_600) minutes?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(8_760) hours?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(365) days?: number;
}

export class OperationFaultsDto {
  @ApiProperty({ example: 'campaign/post', description: 'An operation name (see the README) or * for all.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  operation!: string;

  @ApiPropertyOptional({ description: 'Probability (0..1) of HTTP 500 INTERNAL_ERROR.' })
  @IsOptional() @IsNumber() @Min(0) @Max(1) errorRate?: number;

  @ApiPropertyOptional({ description: 'Probability (0..1) of a dropped connection.' })
  @IsOptional() @IsNumber() @Min(0) @Max(1) dropRate?: number;

  @ApiPropertyOptional({ description: 'The next N calls fail with HTTP 500.' })
  @IsOptional() @IsInt() @Min(0) @Max(1_000_000) failNext?: number;

  @ApiPropertyOptional({ description: 'The next N calls have their connection dropped.' })
  @IsOptional() @IsInt() @Min(0) @Max(1_000_000) dropNext?: number;

  @ApiPropertyOptional({ description: 'Delay added to this operation only (ms).' })
  @IsOptional() @IsInt() @Min(0) @Max(600_000) latencyMs?: number;
}

export class FaultsDto {
  @ApiPropertyOptional({ description: 'Delay added to every SmartFocus call (ms).' })
  @IsOptional() @IsInt() @Min(0) @Max(600_000) latencyMs?: number;

  @ApiPropertyOptional({ description: 'Calls per session before the token dies (0 = no cap); overrides SIMULATOR_SESSION_CALL_CAP.' })
  @IsOptional() @IsInt() @Min(0) sessionCallCap?: number;

  @ApiPropertyOptional({ type: [OperationFaultsDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => OperationFaultsDto)
  operations?: OperationFaultsDto[];
}

export class TemplateMessageDto {
  @ApiProperty({ example: 'optimove_winback' }) @IsString() @IsNotEmpty() @MaxLength(255) name!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(255) subject!: string;
  @ApiProperty({ example: '[EMV HTMLPART]<p>Hello [EMV FIELD]FIRSTNAME[EMV /FIELD]</p>[EMV TEXTPART]Hello' })
  @IsString() @IsNotEmpty() @MaxLength(1_000_000) body!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) fromName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) fromEmail?: string;
}

export class SeedTemplatesDto {
  @ApiPropertyOptional({ type: [TemplateMessageDto], description: 'Messages to create; without it, a default set of optimove_ and other templates.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1_000)
  @ValidateNested({ each: true })
  @Type(() => TemplateMessageDto)
  messages?: TemplateMessageDto[];
}

export class EngagementFactorDto {
  @ApiProperty({ example: 1.5, description: 'Opens (and so clicks) of campaigns whose message was cloned from this template are multiplied by it; 1 = as modelled.' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(20)
  factor!: number;
}
