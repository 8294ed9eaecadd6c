import { SetMetadata, applyDecorators, UseFilters, UseInterceptors, Controller } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@optimove/app-runtime';
import { SmartFocusExceptionFilter } from './smartfocus-exception.filter';
import { SmartFocusInterceptor } from './smartfocus.interceptor';

export type SmartFocusModuleName = 'apiccmd' | 'apimember' | 'apibatchmember';

export const SMARTFOCUS_MODULES: readonly SmartFocusModuleName[] = ['apiccmd', 'apimember', 'apibatchmember'];

export const OPERATION = 'smartfocus:operation';
export const API_MODULE = 'smartfocus:module';

/** How a route takes part in sessions: a token to check, or none (`connect/open`, `connect/close`). */
export type OperationOptions = { session: boolean };

/** Names the operation (for faults and logs) and whether its token is checked. */
export const SmartFocusOperation = (name: string, options: OperationOptions = { session: true }): MethodDecorator =>
  SetMetadata(OPERATION, { name, ...options });

/**
 * A controller of SmartFocus REST routes under `/{module}/services/rest`. They are public to the
 * bearer guard (they use SmartFocus session tokens), answer XML, and turn every error into
 * HTTP 500 with the failed envelope.
 */
export const SmartFocusApi = (module: SmartFocusModuleName | 'any'): ClassDecorator =>
  applyDecorators(
    Controller(module === 'any' ? '' : `${module}/services/rest`),
    SetMetadata(API_MODULE, module),
    Public(),
    ApiExcludeController(),
    UseInterceptors(SmartFocusInterceptor),
    UseFilters(SmartFocusExceptionFilter),
  );
