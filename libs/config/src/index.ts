export { loadConfig, ConfigError } from './load-config';
export { BaseServiceConfig } from './base-service.config';
export { toBoolean, toInteger, toList } from './transformers';
export { IsTimeZone } from './is-time-zone';
