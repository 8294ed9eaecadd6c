import { Module, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { SessionController } from './auth/session.controller';
import { SessionGuard } from './auth/session.guard';
import { CONSOLE_USERS, SessionsService } from './auth/sessions.service';
import type { ConsoleUser } from './auth/user-list';
import { ConsoleConfig } from './config/console.config';
import { GatewayController } from './gateway/gateway.controller';
import { GatewayService } from './gateway/gateway.service';
import { WebAppMiddleware } from './web-app/web-app.middleware';

/** Sign-in and sessions, the gateway to the services' APIs, and the browser app itself. */
@Module({})
export class ConsoleModule implements NestModule {
  static register(config: ConsoleConfig, users: readonly ConsoleUser[]): DynamicModule {
    return {
      module: ConsoleModule,
      // The session routes first: /api/session is not a service.
      controllers: [SessionController, GatewayController],
      providers: [{ provide: ConsoleConfig, useValue: config }, { provide: CONSOLE_USERS, useValue: users }, SessionsService, SessionGuard, GatewayService],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(WebAppMiddleware).forRoutes('*');
  }
}
