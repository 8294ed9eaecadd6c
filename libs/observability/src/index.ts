export { createLogger, type Logger, type LoggerSettings } from './logger';
export { NestPinoLogger } from './nest-pino-logger';
export { redactText, registerSecret } from './redaction';
export { MetricsRegistry } from './metrics-registry';
export { LOGGER } from './tokens';
