import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

/** Thrown when the environment does not satisfy a config class; the message names every bad variable. */
export class ConfigError extends Error {
  constructor(
    readonly configName: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid configuration for ${configName}:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type ConfigClass<T> = new () => T;

/**
 * Builds and validates a config object from environment variables. Property names of the config
 * class are the variable names. This is the only place in the code base that reads `process.env`.
 */
export function loadConfig<T extends object>(
  configClass: ConfigClass<T>,
  env: Record<string, string | undefined> = process.env,
): T {
  const defaults = new configClass() as Record<string, unknown>;
  const raw: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(defaults), ...Object.keys(env)])) {
    const value = env[key];
    raw[key] = value !== undefined && value !== '' ? value : defaults[key];
  }
  const config = plainToInstance(configClass, raw, { excludeExtraneousValues: false });
  const errors = validateSync(config, { whitelist: true, forbidUnknownValues: true });
  if (errors.length > 0) {
    throw new ConfigError(configClass.name, errors.map(describe));
  }
  return config;
}

function describe(error: ValidationError): string {
  const reasons = Object.values(error.constraints ?? {}).join('; ');
  const shown = isSecretName(error.property) ? '<redacted>' : JSON.stringify(typeof error.value === 'string' ? withoutCredentials(error.value) : error.value);
  return `${error.property}: ${reasons} (got ${error.value === undefined ? 'nothing' : shown})`;
}

/** The value with whatever precedes its last `@` (after a URL scheme) masked: a URL's user and password, however mistyped. */
function withoutCredentials(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/{0,2})?.*@/is, '$1<redacted>@');
}

function isSecretName(name: string): boolean {
  return /PASSWORD|SECRET|TOKEN|KEY/i.test(name);
}
