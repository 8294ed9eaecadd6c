import { Catch, type ExceptionFilter } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';
import { EventConsumer } from './consumer/event-consumer';

/**
 * Nest's default RPC filter replaces a handler's error with "Internal server error"; this one
 * hands the original error back to the consumer, which decides between retry and dead-letter.
 */
@Catch()
class PassErrorsToConsumer implements ExceptionFilter {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}

/**
 * Attaches the app's event consumer as a Nest microservice (start it with
 * `startAllMicroservices`). It does not inherit the HTTP app's pipes: payloads arrive validated.
 */
export function connectEventConsumer(app: INestApplication): void {
  app
    .connectMicroservice({ strategy: app.get(EventConsumer) }, { inheritAppConfig: false, deferInitialization: true })
    .useGlobalFilters(new PassErrorsToConsumer());
}
