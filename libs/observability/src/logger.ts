import pino from 'pino';
import { redactText } from './redaction';

export type Logger = pino.Logger;

/** Fields whose values never reach a log line, at the top level or one level down. */
const SECRET_FIELDS = ['password', 'PASSWORD', 'token', 'apiToken', 'API_TOKEN', 'secret', 'apiKey'];

export type LoggerSettings = {
  /** Service name, on every line. */
  service: string;
  level: string;
  /** Where lines go; standard output by default. Tests pass a capture stream. */
  destination?: NodeJS.WritableStream;
};

/**
 * JSON logger for a service. Every serialized line passes through `redactText`, so a secret that
 * slipped into a message, an error or a URL is masked before it is written.
 */
export function createLogger(settings: LoggerSettings): Logger {
  return pino(
    {
      level: settings.level,
      base: { service: settings.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.headers["x-csrf-token"]',
          'res.headers["set-cookie"]',
          ...SECRET_FIELDS,
          ...SECRET_FIELDS.map((field) => `*.${field}`),
        ],
        censor: '[redacted]',
      },
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
      hooks: { streamWrite: redactText },
    },
    settings.destination ?? pino.destination({ fd: 1, sync: true }),
  );
}
