import { Body, Controller, Delete, Get, HttpCode, HttpException, HttpStatus, Post, Req, Res, UnauthorizedException, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '@optimove/app-runtime';
import { ConsoleConfig } from '../config/console.config';
import { clearSessionCookie, readSessionToken, setSessionCookie } from './session-cookie';
import { SessionGuard, SignInRoute } from './session.guard';
import type { SignedInRequest } from './request-session';
import { SessionsService, type SessionView } from './sessions.service';
import { SignInDto } from './sign-in.dto';

// Public: the services' bearer token is not what a browser has; the session guard stands instead.
@Public()
@ApiTags('session')
@UseGuards(SessionGuard)
@Controller('api/session')
export class SessionController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly config: ConsoleConfig,
  ) {}

  @Post()
  @SignInRoute()
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with a user name and password; sets the HttpOnly session cookie' })
  async signIn(@Body() body: SignInDto, @Res({ passthrough: true }) response: Response): Promise<SessionView> {
    const result = await this.sessions.signIn(body.userName, body.password);
    if (!result.ok) {
      switch (result.reason) {
        case 'throttled':
          throw new HttpException('Too many failed sign-ins for this user name: wait 15 minutes', HttpStatus.TOO_MANY_REQUESTS);
        case 'busy':
          throw new HttpException('Too many failed sign-ins right now: try again in a few minutes', HttpStatus.TOO_MANY_REQUESTS);
        case 'bad-credentials':
          throw new UnauthorizedException('Wrong user name or password');
      }
    }
    setSessionCookie(response, result.token, this.config.CONSOLE_SESSION_MAX_HOURS * 3_600, this.config.CONSOLE_COOKIE_SECURE);
    return result.session;
  }

  @Get()
  @ApiOperation({ summary: 'The signed-in user and the CSRF token to send with every write' })
  current(@Req() request: SignedInRequest): SessionView {
    return request.consoleSession!;
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out: ends the session on the server and clears the cookie' })
  async signOut(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<void> {
    const token = readSessionToken(request);
    if (token) await this.sessions.signOut(token);
    clearSessionCookie(response, this.config.CONSOLE_COOKIE_SECURE);
  }
}
