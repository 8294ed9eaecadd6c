import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { map, type Observable } from 'rxjs';
import { SmartFocusSimulatorConfig } from '../config/smartfocus-simulator.config';
import { FaultsService } from '../faults/faults.service';
import { SessionsService } from '../sessions/sessions.service';
import { DroppedConnection, SmartFocusFault } from './smartfocus-fault';
import { API_MODULE, OPERATION, SMARTFOCUS_MODULES, type OperationOptions } from './smartfocus-operation.decorator';
import { successXml, type SmartFocusResult } from './xml-response';

type OperationMetadata = OperationOptions & { name: string };

/** Applies faults, checks the session token, and writes the handler's result as the success envelope. */
@Injectable()
export class SmartFocusInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly faults: FaultsService,
    private readonly sessions: SessionsService,
    @Inject(SmartFocusSimulatorConfig) private readonly config: SmartFocusSimulatorConfig,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler<SmartFocusResult>): Promise<Observable<string>> {
    const operation = this.reflector.get<OperationMetadata | undefined>(OPERATION, context.getHandler());
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    if (operation) {
      const decision = await this.faults.apply(operation.name);
      if (decision === 'drop') {
        request.socket.destroy();
        throw new DroppedConnection();
      }
      if (decision === 'fail') throw new SmartFocusFault('INTERNAL_ERROR', 'An error occured on the server');
      if (operation.session) await this.sessions.check(moduleOf(this.reflector.get<string>(API_MODULE, context.getClass()), request), tokenOf(request));
    }
    return next.handle().pipe(
      map((value) => {
        response.status(200).setHeader('Content-Type', 'application/xml;charset=utf-8');
        return successXml(value, this.config.SIMULATOR_TIME_ZONE);
      }),
    );
  }
}

function moduleOf(declared: string, request: Request): string {
  const module = declared === 'any' ? String(request.params['module']) : declared;
  if (!SMARTFOCUS_MODULES.includes(module as (typeof SMARTFOCUS_MODULES)[number])) {
    throw new SmartFocusFault('INVALID_PARAMETERS', `Unknown API module ${module}.`, ['module']);
  }
  return module;
}

/** The token is a path parameter, or `?token=` in the query-string style. */
function tokenOf(request: Request): string | undefined {
  const fromPath = request.params['token'];
  if (typeof fromPath === 'string' && fromPath) return fromPath;
  const fromQuery = request.query['token'];
  return typeof fromQuery === 'string' ? fromQuery : undefined;
}
