import { Get, Param, Query } from '@nestjs/common';
import { SmartFocusApi, SmartFocusOperation } from '../protocol/smartfocus-operation.decorator';
import { SmartFocusFault } from '../protocol/smartfocus-fault';
import { result, type SmartFocusResult } from '../protocol/xml-response';
import { SMARTFOCUS_MODULES, type SmartFocusModuleName } from '../protocol/smartfocus-operation.decorator';
import { SessionsService } from './sessions.service';

/** `connect/open` and `connect/close` on every module, path-info and query-string styles. */
@SmartFocusApi('any')
export class ConnectController {
  constructor(private readonly sessions: SessionsService) {}

  @Get(':module/services/rest/connect/open/:login/:password/:key')
  @SmartFocusOperation('connect/open', { session: false })
  async open(@Param('module') module: string, @Param('login') login: string, @Param('password') password: string, @Param('key') key: string): Promise<SmartFocusResult> {
    return result.string(await this.sessions.open(knownModule(module), login, password, key));
  }

  @Get(':module/services/rest/connect/open')
  @SmartFocusOperation('connect/open', { session: false })
  async openByQuery(
    @Param('module') module: string,
    @Query('login') login = '',
    @Query('password') password = '',
    @Query('key') key = '',
  ): Promise<SmartFocusResult> {
    return result.string(await this.sessions.open(knownModule(module), login, password, key));
  }

  @Get(':module/services/rest/connect/close/:token')
  @SmartFocusOperation('connect/close', { session: false })
  async close(@Param('module') module: string, @Param('token') token: string): Promise<SmartFocusResult> {
    await this.sessions.close(knownModule(module), token);
    return result.string('connection closed');
  }

  @Get(':module/services/rest/connect/close')
  @SmartFocusOperation('connect/close', { session: false })
  async closeByQuery(@Param('module') module: string, @Query('token') token = ''): Promise<SmartFocusResult> {
    await this.sessions.close(knownModule(module), token);
    return result.string('connection closed');
  }
}

function knownModule(module: string): SmartFocusModuleName {
  if (!SMARTFOCUS_MODULES.includes(module as SmartFocusModuleName)) throw SmartFocusFault.invalid('module', `Unknown API module ${module}.`);
  return module as SmartFocusModuleName;
}
