import { IsBoolean, IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { BaseServiceConfig, toBoolean, toInteger } from '@optimove/config';

const serviceUrl = (name: string): PropertyDecorator => Matches(/^https?:\/\/[^/\s]+$/, { message: `${name} must be an http(s)://host[:port] URL without a path` });

/**
 * Environment of the console (the marketers' web app and its backend-for-frontend); every
 * variable is listed in .env.example. API_TOKEN is the token the console sends to the services.
 */
export class ConsoleConfig extends BaseServiceConfig {
  @toInteger()
  @IsInt()
  @Min(0)
  @Max(65535)
  override HTTP_PORT = 3006;

  /**
   * Who may sign in: `name:bcrypt-hash` pairs separated by commas or new lines (from a Secret).
   * Hashes are bcrypt (`$2a$`, `$2b$` or `$2y$`); make one with `node dist/apps/console/src/main.js hash-password`.
   */
  @IsString()
  CONSOLE_USERS = '';

  /** A session ends after this many minutes without a request. */
  @toInteger()
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  CONSOLE_SESSION_IDLE_MINUTES = 60;

  /** A session ends this many hours after sign-in, however active. */
  @toInteger()
  @IsInt()
  @Min(1)
  @Max(24 * 7)
  CONSOLE_SESSION_MAX_HOURS = 12;

  /** Mark the session cookie Secure (served over HTTPS); only a plain-HTTP local run sets false. */
  @toBoolean()
  @IsBoolean()
  CONSOLE_COOKIE_SECURE = false;

  /** Failed sign-ins per user name within 15 minutes before that name is refused for the rest of them. */
  @toInteger()
  @IsInt()
  @Min(1)
  @Max(1000)
  CONSOLE_SIGN_IN_MAX_FAILURES = 10;

  /** Longest wait for a service's answer, in milliseconds (an upload streams for as long as it takes). */
  @toInteger()
  @IsInt()
  @Min(100)
  CONSOLE_UPSTREAM_TIMEOUT_MS = 30_000;

  @serviceUrl('PROFILE_IMPORT_URL')
  PROFILE_IMPORT_URL = 'http://127.0.0.1:3001';

  @serviceUrl('SEGMENTATION_URL')
  SEGMENTATION_URL = 'http://127.0.0.1:3002';

  @serviceUrl('SMARTFOCUS_DISPATCH_URL')
  SMARTFOCUS_DISPATCH_URL = 'http://127.0.0.1:3003';

  @serviceUrl('METRICS_COLLECTOR_URL')
  METRICS_COLLECTOR_URL = 'http://127.0.0.1:3004';
}
