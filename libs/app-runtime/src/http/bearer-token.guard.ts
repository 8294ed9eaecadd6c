import { timingSafeEqual, createHash } from 'node:crypto';
import { UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { IS_PUBLIC } from './public.decorator';

/** Requires `Authorization: Bearer <API_TOKEN>` on every HTTP route not marked `@Public()`. */
export class BearerTokenGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(
    token: string,
    private readonly reflector: Reflector,
  ) {
    this.expected = digest(token);
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const header = context.switchToHttp().getRequest<Request>().headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    // Compare digests of equal length in constant time, so timing reveals nothing of the token.
    if (match && timingSafeEqual(digest(match[1]), this.expected)) return true;
    throw new UnauthorizedException('A valid bearer token is required (Authorization: Bearer <API_TOKEN>)');
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
