import { Catch, HttpException, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { LOGGER, type Logger } from '@optimove/observability';
import { DroppedConnection, SmartFocusFault } from './smartfocus-fault';
import { failedXml } from './xml-response';

/** Every error of a SmartFocus route is HTTP 500 with `<response responseStatus="failed">` (reference §3). */
@Catch()
export class SmartFocusExceptionFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (exception instanceof DroppedConnection || response.headersSent || response.socket?.destroyed) return;
    const fault = this.toFault(exception);
    response.status(500).setHeader('Content-Type', 'application/xml;charset=utf-8');
    response.send(failedXml(fault.status, fault.description, fault.fields));
  }

  private toFault(exception: unknown): SmartFocusFault {
    if (exception instanceof SmartFocusFault) return exception;
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      return new SmartFocusFault('INVALID_PARAMETERS', 'The request is not valid.');
    }
    // A bug or a database failure: log it (messages only, never request content) and answer generically.
    // pg errors carry row values in `detail`, so only the type and the message (addresses masked) are logged.
    const message = exception instanceof Error ? exception.message.replace(/[^\s@'"()<>]+@[^\s@'"()<>]+/g, '[email]') : 'unknown error';
    this.logger.error({ errorType: exception instanceof Error ? exception.name : typeof exception, message }, 'SmartFocus route failed');
    return new SmartFocusFault('INTERNAL_ERROR', 'An error occured on the server');
  }
}
