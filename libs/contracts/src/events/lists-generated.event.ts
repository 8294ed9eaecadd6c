import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsRFC3339,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { AB_TEST_KPIS, GROUP_KINDS, type AbTestKpi, type GroupKind } from '../group-vocabulary';

/** Most customer ids one `lists.generated.v1` message carries; larger groups are chunked. */
export const MAX_CUSTOMER_IDS_PER_CHUNK = 50_000;


export class ListGroup {
  /** Stable id of the group inside the execution. */
  @IsUUID()
  groupId!: string;

  /** A variant is sent; the control group is held out and only measured. */
  @IsIn(GROUP_KINDS)
  kind!: GroupKind;

  /** Marketer-facing name, e.g. "A", "B" or "control". */
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;

  /** SmartFocus id of the `optimove_` template message to clone; variants only. */
  @ValidateIf((group: ListGroup) => group.kind === 'variant')
  @IsString()
  @Matches(/^\d+$/, { message: 'templateMessageId must be a SmartFocus message id (digits)' })
  templateMessageId?: string;

  /**
   * Share (0..1) of the execution's assigned customers the plan puts in this group (the control
   * share, or a variant's weight times the treated share); the analysis checks the observed split
   * against it. Optional: publishers without a plan leave it out.
   */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  plannedShare?: number;
}

/**
 * `lists.generated.v1`: one chunk of one group's customer ids for one campaign execution.
 * Consumers assemble a group by (executionId, group.groupId) from `chunkCount` chunks.
 */
export class ListsGeneratedV1 {
  @IsUUID()
  executionId!: string;

  @IsUUID()
  campaignId!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  campaignName!: string;

  /** The night the list was generated for, YYYY-MM-DD. */
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  runDate!: string;

  /** When SmartFocus should send, UTC. */
  @IsISO8601({ strict: true })
  @IsRFC3339()
  scheduledAt!: string;

  @ValidateNested()
  @Type(() => ListGroup)
  group!: ListGroup;

  @IsInt()
  @Min(0)
  chunkIndex!: number;

  @IsInt()
  @Min(1)
  chunkCount!: number;

  /** Customers in the whole group, over all chunks. */
  @IsInt()
  @Min(0)
  groupSize!: number;

  /** The client's textual customer ids (leading zeros kept; never numbers). */
  @IsArray()
  @ArrayMaxSize(MAX_CUSTOMER_IDS_PER_CHUNK)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(64, { each: true })
  customerIds!: string[];

  /** Days after the send over which the response is measured (the action duration). Optional. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  actionDurationDays?: number;

  /** The KPI the campaign's A/B test is decided on. Optional. */
  @IsOptional()
  @IsIn(AB_TEST_KPIS)
  abTestKpi?: AbTestKpi;

  /** Optional free-text note, e.g. why a group is empty. */
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}
