import { IsIn, IsInt, IsNotEmpty, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { toInteger } from './transformers';

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

  /** Bearer token required by every HTTP API except health, metrics and docs. */
  @IsString()
  @MinLength(16, { message: 'API_TOKEN must be at least 16 characters' })
  API_TOKEN = '';
}
