import { SmartFocusFault } from '../protocol/smartfocus-fault';
import { parseMemberUid } from './member-uid';

describe('parseMemberUid', () => {
  it('should read FIELD:value pairs separated by |', () => {
    expect([...parseMemberUid('EMAIL:a@example.com|CUSTOMER_ID:00:1')]).toEqual([
      ['EMAIL', 'a@example.com'],
      ['CUSTOMER_ID', '00:1'],
    ]);
  });

  it('should refuse a memberUID holding spaces or newlines, as SmartFocus does (ISTUPD_MEMBER_FAILED)', () => {
    for (const uid of ['LASTNAME:Van Dam', 'EMAIL:a@example.com|\nLASTNAME:Doe', 'EMAIL:a@example.com\t']) {
      expect(() => parseMemberUid(uid)).toThrow(SmartFocusFault);
      try {
        parseMemberUid(uid);
      } catch (error) {
        expect(error).toMatchObject({ status: 'ISTUPD_MEMBER_FAILED', fields: ['memberUID'] });
      }
    }
  });
});
