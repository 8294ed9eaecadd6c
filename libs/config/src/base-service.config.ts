import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsNotEmpty, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { toInteger, toList } from './transformers';

/** Variables every service reads. Each app's config class extends this one. */
export class BaseServiceConfig {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV = 'development';

  @toInteger()
  @IsInt()
  @Min(0)
  @Max(65535)
  HTTP_PORT = 3000;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @IsString()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/optimove';

  @IsString()
  @Matches(/^amqps?:\/\//, { message: 'AMQP_URL must be an amqp:// or amqps:// URL' })
  AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';

  /** The topic exchange every event travels on. Wire name: do not rename. */
  @IsString()
  @IsNotEmpty()
  EVENTS_EXCHANGE = 'optimove.events';

  @toInteger()
  @IsInt()
  @Min(1)
  @Max(1000)
  AMQP_PREFETCH = 20;

  /** Prefix of the app's queue names (the queue is `<prefix><service>`); tests isolate themselves with it. */
  @Matches(/^[a-z0-9_.-]*$/, { message: 'AMQP_QUEUE_PREFIX may hold only a-z, 0-9, _, . and -' })
  AMQP_QUEUE_PREFIX = '';

  /** Bearer token required by every HTTP API except health, metrics and docs. */
  @IsString()
  @MinLength(16, { message: 'API_TOKEN must be at least 16 characters' })
  API_TOKEN = '';

  /** Delays before each retry of a failed event handler, e.g. `1000,10000,60000`; then dead-letter. */
  @toList()
  @IsArray()
  @ArrayMinSize(0)
  @ArrayMaxSize(10)
  @Matches(/^\d{1,7}$/, { each: true, message: 'AMQP_RETRY_DELAYS_MS must be a comma-separated list of milliseconds' })
  AMQP_RETRY_DELAYS_MS: string[] = ['1000', '10000', '60000'];

  @toInteger()
  @IsInt()
  @Min(10)
  @Max(60_000)
  OUTBOX_POLL_INTERVAL_MS = 1_000;

  @toInteger()
  @IsInt()
  @Min(1)
  @Max(10_000)
  OUTBOX_BATCH_SIZE = 500;

  @toInteger()
  @IsInt()
  @Min(1)
  OUTBOX_RETENTION_DAYS = 7;

  /** Handled event ids are kept this long to recognise redeliveries; keep it well above any redelivery delay. */
  @toInteger()
  @IsInt()
  @Min(1)
  INBOX_RETENTION_DAYS = 30;

  @toInteger()
  @IsInt()
  @Min(1)
  @Max(100)
  DATABASE_POOL_SIZE = 10;

  /**
   * Development and tests only (refused in production): the app's time is the machine's plus the
   * offset this clock reports, e.g. the SmartFocus simulator's `http://127.0.0.1:3005/admin/clock`
   * (read with API_TOKEN), so a demo moves every app through a week by moving the simulator's clock.
   */
  @IsString()
  @Matches(/^(https?:\/\/\S+)?$/, { message: 'CLOCK_FOLLOW_URL must be empty or an http(s):// URL' })
  CLOCK_FOLLOW_URL = '';

  /** Largest JSON body the HTTP API accepts, in bytes. */
  @toInteger()
  @IsInt()
  @Min(1_024)
  HTTP_BODY_LIMIT_BYTES = 1_048_576;
}
