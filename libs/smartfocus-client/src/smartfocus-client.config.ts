import { IsInt, IsNotEmpty, IsString, Matches, Max, Min } from 'class-validator';
import { toInteger, IsTimeZone } from '@optimove/config';

/** The client's settings in typed form (what `SmartFocusClient` takes). */
export type SmartFocusClientSettings = {
  /** e.g. `https://p5apie.emv3.com`; the module path (`/apiccmd/services/rest/...`) is appended. */
  baseUrl: string;
  login: string;
  password: string;
  apiKey: string;
  /** Each HTTP request is aborted after this long. */
  requestTimeoutMs: number;
  /** Attempts of a retryable call in all (1 = no retry). */
  retryMaxAttempts: number;
  retryInitialDelayMs: number;
  retryMaxDelayMs: number;
  /** Requests in flight at once; more wait in a queue. */
  maxConcurrency: number;
  /** Consecutive transient failures that open the circuit. */
  circuitBreakerThreshold: number;
  /** How long the open circuit refuses calls before letting one through. */
  circuitBreakerHalfOpenAfterMs: number;
  /** Values per string criterion; longer lists are split into several criteria of the same group. */
  criteriaValuesCap: number;
  /**
   * IANA zone of the SmartFocus account: send dates are written, and dates without an offset
   * read, as wall-clock times of this zone. Default `Europe/Paris`.
   */
  timeZone: string;
};

// The Transform and validation decorators of the variables; shared by the standalone class and the
// mixin, so an app can either load the client's config on its own or fold it into its own class.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a TypeScript mixin's constructor must take any[]
type Constructor = new (...args: any[]) => object;

/**
 * Adds the SmartFocus client variables to an app's config class:
 * `class DispatchConfig extends withSmartFocusClientConfig(BaseServiceConfig) { ... }`.
 */
export function withSmartFocusClientConfig<TBase extends Constructor>(Base: TBase) {
  class WithSmartFocusClientConfig extends Base {
    /** Base URL of the SmartFocus pod, e.g. `https://p5apie.emv3.com` (the simulator: `http://localhost:3005`). */
    @IsString()
    @Matches(/^https?:\/\/[^/\s]+(\/[^\s]*)?$/, { message: 'SMARTFOCUS_BASE_URL must be an http(s):// URL' })
    SMARTFOCUS_BASE_URL = 'http://127.0.0.1:3005';

    @IsString()
    @IsNotEmpty()
    SMARTFOCUS_LOGIN = '';

    /** Secret: travels in the connect/open URL path, masked in every log line and error. */
    @IsString()
    @IsNotEmpty()
    SMARTFOCUS_PASSWORD = '';

    /** Secret: the manager key of the API login. */
    @IsString()
    @IsNotEmpty()
    SMARTFOCUS_API_KEY = '';

    @toInteger()
    @IsInt()
    @Min(100)
    @Max(600_000)
    SMARTFOCUS_REQUEST_TIMEOUT_MS = 30_000;

    @toInteger()
    @IsInt()
    @Min(1)
    @Max(20)
    SMARTFOCUS_RETRY_MAX_ATTEMPTS = 5;

    @toInteger()
    @IsInt()
    @Min(1)
    @Max(60_000)
    SMARTFOCUS_RETRY_INITIAL_DELAY_MS = 200;

    @toInteger()
    @IsInt()
    @Min(1)
    @Max(600_000)
    SMARTFOCUS_RETRY_MAX_DELAY_MS = 10_000;

    @toInteger()
    @IsInt()
    @Min(1)
    @Max(64)
    SMARTFOCUS_MAX_CONCURRENCY = 4;

    @toInteger()
    @IsInt()
    @Min(1)
    @Max(1_000)
    SMARTFOCUS_CIRCUIT_BREAKER_THRESHOLD = 10;

    @toInteger()
    @IsInt()
    @Min(100)
    @Max(3_600_000)
    SMARTFOCUS_CIRCUIT_BREAKER_HALF_OPEN_AFTER_MS = 30_000;

    /** Values per string criterion (the simulator's SIMULATOR_CRITERIA_VALUES_CAP has the same default). */
    @toInteger()
    @IsInt()
    @Min(1)
    @Max(100_000)
    SMARTFOCUS_CRITERIA_VALUES_CAP = 1_000;

    /** IANA time zone of the SmartFocus account: CCMD writes and reads dates without an offset in it. */
    @IsString()
    @IsTimeZone()
    SMARTFOCUS_TIME_ZONE = 'Europe/Paris';
  }
  return WithSmartFocusClientConfig;
}

/** The client's variables on their own: `loadConfig(SmartFocusClientConfig, env)`. */
export class SmartFocusClientConfig extends withSmartFocusClientConfig(class {}) {}

type SmartFocusClientVariables = InstanceType<ReturnType<typeof withSmartFocusClientConfig>>;

export function smartFocusClientSettings(config: SmartFocusClientVariables): SmartFocusClientSettings {
  return {
    baseUrl: config.SMARTFOCUS_BASE_URL.replace(/\/+$/, ''),
    login: config.SMARTFOCUS_LOGIN,
    password: config.SMARTFOCUS_PASSWORD,
    apiKey: config.SMARTFOCUS_API_KEY,
    requestTimeoutMs: config.SMARTFOCUS_REQUEST_TIMEOUT_MS,
    retryMaxAttempts: config.SMARTFOCUS_RETRY_MAX_ATTEMPTS,
    retryInitialDelayMs: config.SMARTFOCUS_RETRY_INITIAL_DELAY_MS,
    retryMaxDelayMs: config.SMARTFOCUS_RETRY_MAX_DELAY_MS,
    maxConcurrency: config.SMARTFOCUS_MAX_CONCURRENCY,
    circuitBreakerThreshold: config.SMARTFOCUS_CIRCUIT_BREAKER_THRESHOLD,
    circuitBreakerHalfOpenAfterMs: config.SMARTFOCUS_CIRCUIT_BREAKER_HALF_OPEN_AFTER_MS,
    criteriaValuesCap: config.SMARTFOCUS_CRITERIA_VALUES_CAP,
    timeZone: config.SMARTFOCUS_TIME_ZONE,
  };
}
