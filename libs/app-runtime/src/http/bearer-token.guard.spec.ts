import { UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { BearerTokenGuard } from './bearer-token.guard';
import { Public } from './public.decorator';

class Routes {
  @Public()
  health(): void {}

  imports(): void {}
}

function httpContext(handler: () => void, authorization?: string): ExecutionContext {
  return {
    getType: () => 'http',
    getHandler: () => handler,
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => ({ headers: authorization === undefined ? {} : { authorization } }) }),
  } as unknown as ExecutionContext;
}

describe(BearerTokenGuard.name, () => {
  const guard = new BearerTokenGuard('the-right-token-0123', new Reflector());

  it('should let a request through when it carries the token', () => {
    expect(guard.canActivate(httpContext(Routes.prototype.imports, 'Bearer the-right-token-0123'))).toBe(true);
  });

  it.each([undefined, 'Bearer wrong', 'Bearer the-right-token-01234', 'Basic the-right-token-0123', 'the-right-token-0123'])(
    'should refuse %j when the token is missing or wrong',
    (authorization) => {
      expect(() => guard.canActivate(httpContext(Routes.prototype.imports, authorization))).toThrow(UnauthorizedException);
    },
  );

  it('should let a public route through without a token', () => {
    expect(guard.canActivate(httpContext(Routes.prototype.health))).toBe(true);
  });
});
