import { ForbiddenException, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SetMetadata } from '@nestjs/common';
import { readSessionToken } from './session-cookie';
import { isSameOrigin, isWrite, type SignedInRequest } from './request-session';
import { SessionsService } from './sessions.service';

const SIGN_IN_ROUTE = 'console:sign-in';

/** The one route open without a session (it still needs a same-origin write). */
export const SignInRoute = (): MethodDecorator => SetMetadata(SIGN_IN_ROUTE, true);

/**
 * Every console API route: a live session from the cookie, and for writes a same-origin request
 * carrying the session's CSRF token in X-CSRF-Token.
 */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    private readonly sessions: SessionsService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<SignedInRequest>();
    const write = isWrite(request.method);
    if (write && !isSameOrigin(request)) throw new ForbiddenException('Cross-site request refused');
    if (this.reflector.get<boolean>(SIGN_IN_ROUTE, context.getHandler())) return true;
    const session = await this.sessions.resume(readSessionToken(request));
    if (!session) throw new UnauthorizedException('Sign in first');
    if (write && !SessionsService.csrfMatches(session, headerValue(request.headers['x-csrf-token']))) {
      throw new ForbiddenException('Missing or wrong CSRF token: reload the page');
    }
    request.consoleSession = session;
    return true;
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
