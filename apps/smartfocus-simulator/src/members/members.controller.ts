import { Get, Param, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { parseId } from '../protocol/parameters';
import { RequestBodyReader, xmlList, xmlObject, xmlText } from '../protocol/request-body';
import { SmartFocusFault } from '../protocol/smartfocus-fault';
import { SmartFocusApi, SmartFocusOperation } from '../protocol/smartfocus-operation.decorator';
import { result, type SmartFocusResult } from '../protocol/xml-response';
import { isMemberColumn, MembersService, type MemberColumn } from './members.service';

/** Individual members on apimember (reference §8.2). */
@SmartFocusApi('apimember')
export class MembersController {
  constructor(
    private readonly members: MembersService,
    private readonly body: RequestBodyReader,
  ) {}

  @Post('member/insertOrUpdateMember/:token')
  @SmartFocusOperation('member/insertOrUpdateMember')
  async insertOrUpdate(@Req() request: Request): Promise<SmartFocusResult> {
    const member = await this.body.xml(request, ['synchroMember']);
    const fields = new Map<MemberColumn, string>();
    for (const entry of xmlList(xmlObject(member['dynContent'], 'dynContent'), 'entry')) {
      const pair = xmlObject(entry, 'entry');
      const key = (xmlText(pair, 'key') ?? '').toUpperCase();
      if (!isMemberColumn(key)) throw new SmartFocusFault('ISTUPD_MEMBER_FAILED', `${key || 'An empty key'} is not a column of the member table.`, ['dynContent']);
      fields.set(key, xmlText(pair, 'value') ?? '');
    }
    const jobId = await this.members.insertOrUpdate(parseMemberUid(xmlText(member, 'memberUID')), fields, xmlText(member, 'email'));
    return result.long(jobId);
  }

  @Get('member/getMemberJobStatus/:token/:jobId')
  @SmartFocusOperation('member/getMemberJobStatus')
  async jobStatus(@Param('jobId') jobId: string): Promise<SmartFocusResult> {
    return result.element('processStatus', { status: await this.members.jobStatus(parseId(jobId, 'synchroId')) });
  }
}

/** `FIELD:value|FIELD2:value2` (no whitespace around, reference §8.2). */
function parseMemberUid(text: string | undefined): Map<MemberColumn, string> {
  const match = new Map<MemberColumn, string>();
  for (const pair of (text ?? '').split('|').filter((part) => part.length > 0)) {
    const separator = pair.indexOf(':');
    const field = pair.slice(0, separator).toUpperCase();
    if (separator < 1 || !isMemberColumn(field)) throw new SmartFocusFault('ISTUPD_MEMBER_FAILED', 'memberUID must be FIELD:value pairs of member columns.', ['memberUID']);
    match.set(field, pair.slice(separator + 1));
  }
  return match;
}
