import type { SmartFocusClientSettings } from '@optimove/smartfocus-client';
import { SIMULATOR_API_KEY, SIMULATOR_LOGIN, SIMULATOR_PASSWORD } from '@optimove/testing';

/** Client settings pointed at a simulator started with the testing lib's credentials. */
export function clientSettings(baseUrl: string, overrides: Partial<SmartFocusClientSettings> = {}): SmartFocusClientSettings {
  return {
    baseUrl,
    login: SIMULATOR_LOGIN,
    password: SIMULATOR_PASSWORD,
    apiKey: SIMULATOR_API_KEY,
    requestTimeoutMs: 5_000,
    retryMaxAttempts: 4,
    retryInitialDelayMs: 5,
    retryMaxDelayMs: 40,
    maxConcurrency: 4,
    circuitBreakerThreshold: 50,
    circuitBreakerHalfOpenAfterMs: 200,
    criteriaValuesCap: 1_000,
    ...overrides,
  };
}

