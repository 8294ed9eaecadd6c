export { createLogger, type Logger, type LoggerSettings } from './logger';
export { NestPinoLogger } from './nest-pino-logger';
export { REDACTED_TEXT, redactText, registerRedactionPattern, registerSecret } from './redaction';
export { MetricsRegistry } from './metrics-registry';
export { LOGGER } from './tokens';
