import { IsInt, Max, Min } from 'class-validator';
import { BaseServiceConfig, toInteger } from '@optimove/config';
import { withSmartFocusClientConfig } from '@optimove/smartfocus-client';

/** Environment of the metrics-collector service; every variable is listed in .env.example. */
export class MetricsCollectorConfig extends withSmartFocusClientConfig(BaseServiceConfig) {
  @toInteger()
  @IsInt()
  @Min(0)
  @Max(65535)
  override HTTP_PORT = 3004;

  /** Daily snapshots per scheduled group: day 1..N after the send time. */
  @toInteger()
  @IsInt()
  @Min(1)
  @Max(60)
  COLLECTION_DAYS = 7;

  /** The snapshot taken once the send has ended (day 0): this long after the send time. */
  @toInteger()
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  COLLECTION_SEND_END_DELAY_MINUTES = 60;

  /** How often the collector looks for due snapshot fetches. */
  @toInteger()
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  COLLECTION_POLL_INTERVAL_MS = 30_000;

  /** Fetches one replica claims per poll. */
  @toInteger()
  @IsInt()
  @Min(1)
  @Max(1_000)
  COLLECTION_BATCH_SIZE = 20;

  /** Attempts of one fetch before it is recorded as failed. */
  @toInteger()
  @IsInt()
  @Min(1)
  @Max(100)
  COLLECTION_MAX_ATTEMPTS = 8;

  /** Wait before the first retry of a failed fetch; doubled each time up to the maximum. */
  @toInteger()
  @IsInt()
  @Min(10)
  @Max(86_400_000)
  COLLECTION_RETRY_INITIAL_DELAY_MS = 60_000;

  @toInteger()
  @IsInt()
  @Min(10)
  @Max(86_400_000)
  COLLECTION_RETRY_MAX_DELAY_MS = 3_600_000;

  /** A claimed fetch is given back to the others after this long (a replica that died while fetching). */
  @toInteger()
  @IsInt()
  @Min(1_000)
  @Max(86_400_000)
  COLLECTION_LEASE_MS = 300_000;

  /** Measurement window when lists.generated.v1 carries no actionDurationDays. */
  @toInteger()
  @IsInt()
  @Min(1)
  @Max(365)
  ANALYSIS_DEFAULT_ACTION_DURATION_DAYS = 7;
}
