import type { DynamicModule } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ValidationPipe } from '@nestjs/common';
import helmet from 'helmet';
import pinoHttp from 'pino-http';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { ConfigError, type BaseServiceConfig } from '@optimove/config';
import { runMigrations } from '@optimove/database';
import { DEAD_LETTER_REASONS, connectEventConsumer, redriveDeadLetters, type DeadLetterReason } from '@optimove/messaging';
import { MetricsRegistry, NestPinoLogger, createLogger, registerSecret, type Logger } from '@optimove/observability';
import { BearerTokenGuard } from './http/bearer-token.guard';

export type ServiceEntry = {
  service: string;
  schema: string;
  description: string;
  config: BaseServiceConfig;
  dataSourceOptions: DataSourceOptions;
  /** Builds the root module from the logger this entry creates. */
  rootModule: (logger: Logger) => DynamicModule;
  /** false for an app without events (the simulator). */
  messaging?: boolean;
  /** Extra secrets from the app's config to mask in logs (API_TOKEN and URLs are always masked). */
  secrets?: readonly (string | undefined)[];
};

/** A mistake in how a command was called: reported as its message alone, without a stack. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
}

const USAGE = 'commands: serve (default) | migrate | check-config | redrive-dead-letters [--reason <reason>] [--limit <n>]';

/** The header that carries a request's id in and out (a caller's own id is kept when it is sane). */
export const REQUEST_ID_HEADER = 'X-Request-Id';
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request id: the caller's `X-Request-Id` when it is sane, else a new UUID; echoed in the answer. */
export function assignRequestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

/**
 * The `main` of every app: `node main.js` serves HTTP and consumes events; `node main.js migrate`
 * applies the app's migrations and exits (the db:migrate command, compose one-shot and k8s Job);
 * `node main.js redrive-dead-letters` moves the app's dead letters back into its queue once the
 * cause is fixed.
 */
export async function runServiceCommand(entry: ServiceEntry, argv: readonly string[]): Promise<void> {
  const logger = createLogger({ service: entry.service, level: entry.config.LOG_LEVEL });
  for (const secret of [entry.config.API_TOKEN, ...(entry.secrets ?? [])]) registerSecret(secret);
  const command = argv[2] ?? 'serve';
  switch (command) {
    case 'migrate':
      await migrate(entry, logger);
      return;
    case 'serve':
      await startService(entry, logger);
      return;
    case 'redrive-dead-letters':
      await redrive(entry, logger, argv.slice(3));
      return;
    case 'check-config':
      // The configuration was loaded and validated before this point (a bad one exits 1 naming
      // the variables); deployment tests run this with the environment a manifest gives.
      process.stdout.write(`${entry.service}: configuration valid\n`);
      return;
    default:
      throw new CommandError(`Unknown command "${command}"; ${USAGE}`);
  }
}

async function redrive(entry: ServiceEntry, logger: Logger, args: readonly string[]): Promise<void> {
  if (entry.messaging === false) throw new CommandError(`${entry.service} consumes no events: it has no dead letters`);
  const option = (name: string): string | undefined => {
    const index = args.indexOf(`--${name}`);
    return index >= 0 ? args[index + 1] : undefined;
  };
  const reason = option('reason');
  if (reason !== undefined && !DEAD_LETTER_REASONS.includes(reason as DeadLetterReason)) {
    throw new CommandError(`--reason must be one of ${DEAD_LETTER_REASONS.join(', ')}; ${USAGE}`);
  }
  const limitText = option('limit');
  const limit = limitText === undefined ? undefined : Number(limitText);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new CommandError(`--limit must be a whole number above 0; ${USAGE}`);
  const queue = `${entry.config.AMQP_QUEUE_PREFIX}${entry.service}`;
  const result = await redriveDeadLetters({ amqpUrl: entry.config.AMQP_URL, queue, reason: reason as DeadLetterReason | undefined, limit });
  logger.info({ queue, reason, limit, ...result }, 'Dead letters moved back into the queue');
}

async function migrate(entry: ServiceEntry, logger: Logger): Promise<void> {
  const dataSource = new DataSource(entry.dataSourceOptions);
  await dataSource.initialize();
  try {
    const applied = await runMigrations(dataSource, entry.schema);
    logger.info({ schema: entry.schema, applied }, applied.length ? 'Migrations applied' : 'Schema is up to date');
  } finally {
    await dataSource.destroy();
  }
}

/** Creates, configures and starts the app; returns it (tests call this too). */
export async function startService(entry: ServiceEntry, logger: Logger): Promise<NestExpressApplication> {
  const app = await createServiceApp(entry, logger);
  await app.startAllMicroservices();
  await app.listen(entry.config.HTTP_PORT, '0.0.0.0');
  logger.info({ port: entry.config.HTTP_PORT }, `${entry.service} started`);
  return app;
}

/** How long an idle keep-alive connection is kept open: longer than any client's or balancer's. */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export async function createServiceApp(entry: ServiceEntry, logger: Logger): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(entry.rootModule(logger), {
    logger: new NestPinoLogger(logger),
    bodyParser: false,
    abortOnError: false,
  });
  app.disable('x-powered-by');
  // Idle keep-alive connections are closed by the client, never by this server: clients and load
  // balancers give up sooner (undici after 4 s, most balancers after 60 s), so no request is sent
  // on a socket the server is closing at that instant (an ECONNRESET that a streamed upload cannot
  // retry). Node's default of 5 s races undici's 4 s on a loaded machine.
  const server: Server = app.getHttpServer();
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  app.use(
    helmet({
      // The APIs answer JSON; /docs (Swagger UI) needs its own scripts and inline styles, and is
      // served over plain HTTP inside the cluster, so requests are not upgraded to HTTPS.
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
    }),
  );
  app.use(
    pinoHttp({
      logger,
      genReqId: assignRequestId,
      autoLogging: { ignore: (req) => /^\/(health|metrics)/.test(req.url ?? '') },
      // Unexpected exceptions are logged with their stack by Nest; this line is the access log.
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
      // pino-http invents an Error for every 5xx; the simulator answers 500 by design (SmartFocus
      // errors), so keep the status and drop the made-up stack.
      customErrorObject: (_req, res, error: Error, value: Record<string, unknown>) =>
        error.message === `failed with status code ${res.statusCode}` ? { ...value, err: undefined } : value,
    }),
  );
  const metrics = app.get(MetricsRegistry);
  app.use((req: { method: string; route?: { path?: string } }, res: { statusCode: number; on(event: 'finish', cb: () => void): void }, next: () => void) => {
    const end = metrics.httpRequestDuration.startTimer();
    res.on('finish', () => end({ method: req.method, route: req.route?.path ?? 'unmatched', status: String(res.statusCode) }));
    next();
  });
  // After the request id and the access log, so a refused body (413) has both.
  app.useBodyParser('json', { limit: entry.config.HTTP_BODY_LIMIT_BYTES });
  app.useGlobalGuards(new BearerTokenGuard(entry.config.API_TOKEN, app.get(Reflector)));
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle(entry.service).setDescription(entry.description).addBearerAuth().build(),
  );
  SwaggerModule.setup('docs', app, document);
  if (entry.messaging ?? true) connectEventConsumer(app);
  return app;
}

/** Runs `main`, turning a bad configuration into a short message and exit code 1 (also one thrown before main's first await). */
export function runMain(main: () => Promise<void>): void {
  Promise.resolve()
    .then(main)
    .catch((error: unknown) => {
      const message = error instanceof ConfigError || error instanceof CommandError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.stderr.write(`${message}\n`);
      process.exit(1);
    });
}
