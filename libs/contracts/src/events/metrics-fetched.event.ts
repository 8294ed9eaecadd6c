import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsRFC3339, IsNumber, IsString, IsUUID, Matches, Max, Min, ValidateNested } from 'class-validator';

export class EmailCounts {
  @IsInt() @Min(0) selected!: number;
  @IsInt() @Min(0) sent!: number;
  @IsInt() @Min(0) delivered!: number;
  @IsInt() @Min(0) bounces!: number;
  @IsInt() @Min(0) uniqueOpens!: number;
  @IsInt() @Min(0) uniqueClicks!: number;
  @IsInt() @Min(0) unsubscribes!: number;
  @IsInt() @Min(0) complaints!: number;
}

/** Rates as fractions 0..1: delivery over sent, the others over delivered. */
export class EmailRates {
  @IsNumber() @Min(0) @Max(1) delivery!: number;
  @IsNumber() @Min(0) @Max(1) open!: number;
  @IsNumber() @Min(0) @Max(1) click!: number;
  @IsNumber() @Min(0) @Max(1) unsubscribe!: number;
}

/** `metrics.fetched.v1`: one day's SmartFocus figures for one scheduled group. */
export class MetricsFetchedV1 {
  @IsUUID()
  executionId!: string;

  @IsUUID()
  groupId!: string;

  @IsString()
  @Matches(/^\d+$/)
  smartFocusCampaignId!: string;

  @IsISO8601({ strict: true })
  @IsRFC3339()
  fetchedAt!: string;

  /**
   * Which snapshot: 0 = the one taken once the send has ended, 1..N = one a day after the send
   * time (N = 7 by default, the collector's COLLECTION_DAYS). Widened from 1..7 (additive: every
   * value valid before still is).
   */
  @IsInt()
  @Min(0)
  @Max(366)
  day!: number;

  @ValidateNested()
  @Type(() => EmailCounts)
  counts!: EmailCounts;

  @ValidateNested()
  @Type(() => EmailRates)
  rates!: EmailRates;
}
