import { Get, Param, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { parseId } from '../protocol/parameters';
import { RequestBodyReader, xmlList, xmlObject, xmlText } from '../protocol/request-body';
import { SmartFocusFault } from '../protocol/smartfocus-fault';
import { SmartFocusApi, SmartFocusOperation } from '../protocol/smartfocus-operation.decorator';
import { result, type SmartFocusResult } from '../protocol/xml-response';
import { isMemberColumn, MembersService, type MemberColumn } from './members.service';
import { parseMemberUid } from './member-uid';

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
    // Untrimmed: SmartFocus refuses whitespace around the memberUID, which trimming would hide.
    const member = await this.body.xml(request, ['synchroMember'], { trimValues: false });
    const fields = new Map<MemberColumn, string>();
    for (const entry of xmlList(xmlObject(member['dynContent'], 'dynContent'), 'entry')) {
      const pair = xmlObject(entry, 'entry');
      const key = (xmlText(pair, 'key') ?? '').trim().toUpperCase();
      if (!isMemberColumn(key)) throw new SmartFocusFault('ISTUPD_MEMBER_FAILED', `${key || 'An empty key'} is not a column of the member table.`, ['dynContent']);
      fields.set(key, (xmlText(pair, 'value') ?? '').trim());
    }
    const jobId = await this.members.insertOrUpdate(parseMemberUid(xmlText(member, 'memberUID')), fields, xmlText(member, 'email')?.trim());
    return result.long(jobId);
  }

  @Get('member/getMemberJobStatus/:token/:jobId')
  @SmartFocusOperation('member/getMemberJobStatus')
  async jobStatus(@Param('jobId') jobId: string): Promise<SmartFocusResult> {
    return result.element('processStatus', { status: await this.members.jobStatus(parseId(jobId, 'synchroId')) });
  }
}
