import { All, Controller, NotFoundException, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@optimove/app-runtime';
import type { SignedInRequest } from '../auth/request-session';
import { SessionGuard } from '../auth/session.guard';
import { findRoute } from './gateway-routes';
import { GatewayService } from './gateway.service';

// An e-mail preview is someone else's HTML: in its own sandbox, no script, no form, no plugin.
const UNTRUSTED_HTML_CSP = "sandbox; default-src 'none'; img-src https: data:; style-src 'unsafe-inline' https:; font-src https: data:; frame-ancestors 'self'";

/** /api/<service>/<path>: the allowed service routes (gateway-routes.ts), behind the session guard. */
@Public()
@ApiExcludeController()
@UseGuards(SessionGuard)
@Controller('api')
export class GatewayController {
  constructor(private readonly gateway: GatewayService) {}

  @All(':service/*path')
  async forward(@Req() request: SignedInRequest, @Res() response: Response): Promise<void> {
    const match = /^\/api\/([a-z-]+)(\/.*)$/.exec(request.path);
    const route = match ? findRoute(match[1], request.method, match[2]) : undefined;
    if (!match || !route) throw new NotFoundException(`${request.method} ${request.path} is not a console route`);
    const answer = await this.gateway.forward(route, match[2], request, request.consoleSession!.userName);
    response.status(answer.status);
    for (const [name, value] of Object.entries(answer.headers)) response.setHeader(name, value);
    if (route.untrustedHtml) response.setHeader('Content-Security-Policy', UNTRUSTED_HTML_CSP);
    response.setHeader('Cache-Control', answer.headers['cache-control'] ?? 'no-store');
    response.end(answer.body);
  }
}
