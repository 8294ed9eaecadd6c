import { IsInt, IsNotEmpty, IsString, Max, Min, MinLength } from 'class-validator';
import { BaseServiceConfig, toInteger, IsTimeZone } from '@optimove/config';

/** Environment of the smartfocus-simulator service; every variable is listed in .env.example. */
export class SmartFocusSimulatorConfig extends BaseServiceConfig {
  @toInteger()
  @IsInt()
  @Min(0)
  @Max(65535)
  override HTTP_PORT = 3005;

  /** The API login `connect/open` accepts. */
  @IsString()
  @IsNotEmpty()
  SIMULATOR_LOGIN = 'optimove-api';

  /** Secret: the API password `connect/open` accepts. */
  @IsString()
  @MinLength(6)
  SIMULATOR_PASSWORD = 'simulator-password';

  /** Secret: the manager key `connect/open` accepts. */
  @IsString()
  @MinLength(6)
  SIMULATOR_API_KEY = 'simulator-manager-key';

  /** A token dies this long after it was opened (reference: 60 min). */
  @toInteger()
  @IsInt()
  @Min(1)
  SIMULATOR_TOKEN_LIFETIME_MINUTES = 60;

  /** A token dies after this long without a call (reference: 30 min). */
  @toInteger()
  @IsInt()
  @Min(1)
  SIMULATOR_IDLE_TIMEOUT_MINUTES = 30;

  /** Calls one token may make; the next one fails and kills it (0 = no cap). The admin API can override it. */
  @toInteger()
  @IsInt()
  @Min(0)
  SIMULATOR_SESSION_CALL_CAP = 5_000;

  /** Values one string criterion may carry; more are refused with INVALID_PARAMETERS. */
  @toInteger()
  @IsInt()
  @Min(1)
  @Max(100_000)
  SIMULATOR_CRITERIA_VALUES_CAP = 1_000;

  /** Seed of the engagement figures: the same seed, campaign and members give the same report. */
  @IsString()
  @IsNotEmpty()
  SIMULATOR_ENGAGEMENT_SEED = 'optimove-simulator';

  /** How long a campaign stays RUNNING after its send date before it is COMPLETED. */
  @toInteger()
  @IsInt()
  @Min(0)
  SIMULATOR_SEND_DURATION_MINUTES = 30;

  /**
   * IANA time zone of the simulated account: dates without an offset are read as its wall-clock
   * times, and dates are answered with its offset (the client's SMARTFOCUS_TIME_ZONE must match).
   */
  @IsString()
  @IsTimeZone()
  SIMULATOR_TIME_ZONE = 'Europe/Paris';

  /** Largest XML or multipart request body, in bytes (the reference allows 256 MB uploads). */
  @toInteger()
  @IsInt()
  @Min(1_024)
  SIMULATOR_BODY_LIMIT_BYTES = 268_435_456;
}
