import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsNumber, IsString, Matches, Max, Min } from 'class-validator';
import { BaseServiceConfig, toBoolean, toInteger } from '@optimove/config';

const toNumber = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value.trim()) : value));

const toNumberList = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((part) => part.trim())
          .filter((part) => part.length > 0)
          .map((part) => (/^\d+(\.\d+)?$/.test(part) ? Number(part) : part))
      : value,
  );

export const SUSPICIOUS_IMPORT_POLICIES = ['hold', 'proceed'] as const;
export type SuspiciousImportPolicy = (typeof SUSPICIOUS_IMPORT_POLICIES)[number];

/** Environment of the segmentation service; every variable is listed in .env.example. */
export class SegmentationConfig extends BaseServiceConfig {
  @toInteger()
  @IsInt()
  @Min(0)
  @Max(65535)
  override HTTP_PORT = 3002;

  // --- lifecycle stages (rules in the README) ---

  /** A first purchase at most this many days ago makes a customer `new`. */
  @toInteger()
  @IsInt()
  @Min(1)
  @Max(3650)
  LIFECYCLE_NEW_DAYS = 30;

  /** A last purchase at most this many days ago keeps a customer `active`; older is `at_risk`. */
  @toInteger()
  @IsInt()
  @Min(1)
  @Max(3650)
  LIFECYCLE_ACTIVE_DAYS = 90;

  /** A last purchase more than this many days ago makes a customer `churned`; a purchase after such a gap reactivates. */
  @toInteger()
  @IsInt()
  @Min(2)
  @Max(3650)
  LIFECYCLE_CHURN_DAYS = 180;

  /** A customer stays `reactivated` this many days after the purchase that ended a churn gap. */
  @toInteger()
  @IsInt()
  @Min(1)
  @Max(3650)
  LIFECYCLE_REACTIVATED_DAYS = 30;

  // --- RFM scores and micro-segments ---

  /** Frequency and monetary scores count the orders and spend of this many days. */
  @toInteger()
  @IsInt()
  @Min(1)
  @Max(3650)
  RFM_WINDOW_DAYS = 365;

  /** Recency: days since the last purchase at most these four bounds give scores 5, 4, 3, 2; more gives 1. */
  @toNumberList()
  @IsArray()
  @ArrayMinSize(4)
  @ArrayMaxSize(4)
  @IsInt({ each: true })
  @Min(0, { each: true })
  RFM_RECENCY_DAYS: number[] = [30, 60, 120, 240];

  /** Frequency: orders in the window of at least these four bounds give scores 2, 3, 4, 5; fewer give 1. */
  @toNumberList()
  @IsArray()
  @ArrayMinSize(4)
  @ArrayMaxSize(4)
  @IsInt({ each: true })
  @Min(1, { each: true })
  RFM_FREQUENCY_ORDERS: number[] = [2, 3, 5, 8];

  /** Monetary: spend in the window of at least these four bounds give scores 2, 3, 4, 5; less gives 1. */
  @toNumberList()
  @IsArray()
  @ArrayMinSize(4)
  @ArrayMaxSize(4)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { each: true })
  @Min(0, { each: true })
  RFM_MONETARY_SPEND: number[] = [50, 150, 400, 1000];

  /** More days than this between the model's date and the run's model date are rebuilt instead of stepped day by day. */
  @toInteger()
  @IsInt()
  @Min(1)
  @Max(366)
  MODEL_MAX_INCREMENTAL_DAYS = 14;

  // --- global control group ---

  /** Share (0..0.5) of all customers held out of every campaign; 0 disables. Stable: raising it only adds customers. */
  @toNumber()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(0.5)
  GLOBAL_CONTROL_SHARE = 0.02;

  // --- the nightly run ---

  /** Start the nightly run by the schedule below (one replica claims it). */
  @toBoolean()
  @IsBoolean()
  RUN_SCHEDULE_ENABLED = true;

  /** Local time (HH:MM, in RUN_TIME_ZONE) of the scheduled run; with RUN_WAIT_FOR_IMPORTS, the deadline. */
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'RUN_SCHEDULE_TIME must be HH:MM' })
  RUN_SCHEDULE_TIME = '02:00';

  /** IANA time zone of RUN_SCHEDULE_TIME and of the run date. */
  @IsString()
  RUN_TIME_ZONE = 'UTC';

  /** Start the run when both datasets of the previous day were imported; the scheduled time becomes the deadline. */
  @toBoolean()
  @IsBoolean()
  RUN_WAIT_FOR_IMPORTS = false;

  /** What a `suspicious` import does to the run: hold it until released, or proceed (logged). */
  @IsIn(SUSPICIOUS_IMPORT_POLICIES)
  RUN_SUSPICIOUS_IMPORT_POLICY: SuspiciousImportPolicy = 'hold';

  /** How often the scheduler looks at the clock, in milliseconds. */
  @toInteger()
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  RUN_SCHEDULER_INTERVAL_MS = 30_000;

  /** Customer ids per `lists.generated.v1` message (at most 50,000). */
  @toInteger()
  @IsInt()
  @Min(1)
  @Max(50_000)
  LIST_CHUNK_SIZE = 10_000;

  /** Model and campaign work memory per run transaction (PostgreSQL work_mem), e.g. 64MB. */
  @Matches(/^\d+(kB|MB|GB)$/, { message: 'RUN_WORK_MEM must be like 64MB' })
  RUN_WORK_MEM = '64MB';
}

