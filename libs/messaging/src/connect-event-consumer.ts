import { Catch, type ArgumentsHost, type INestApplication } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { throwError, type Observable } from 'rxjs';
import { EventConsumer } from './consumer/event-consumer';

/**
 * Nest's default RPC filter replaces a handler's error with "Internal server error"; this one
 * hands the original error back to the consumer, which decides between retry and dead-letter.
 * HTTP errors keep Nest's usual handling.
 */
@Catch()
class PassEventErrorsToConsumer extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): Observable<never> | void {
    if (host.getType() === 'rpc') return throwError(() => exception);
    super.catch(exception, host);
  }
}

/** Attaches the app's event consumer as a Nest microservice (start it with `startAllMicroservices`). */
export function connectEventConsumer(app: INestApplication): void {
  app.useGlobalFilters(new PassEventErrorsToConsumer(app.getHttpAdapter()));
  app.connectMicroservice({ strategy: app.get(EventConsumer) }, { inheritAppConfig: true });
}
