import { SmartFocusFault } from '../protocol/smartfocus-fault';
import { isMemberColumn, type MemberColumn } from './members.service';

/**
 * `FIELD:value|FIELD2:value2` (reference §8.2). SmartFocus refuses a memberUID holding spaces or
 * newlines, even around it (a pretty-printed `<memberUID>`), with ISTUPD_MEMBER_FAILED.
 */
export function parseMemberUid(text: string | undefined): Map<MemberColumn, string> {
  const match = new Map<MemberColumn, string>();
  if (text !== undefined && /\s/.test(text)) {
    throw new SmartFocusFault('ISTUPD_MEMBER_FAILED', 'memberUID must not contain spaces or newlines.', ['memberUID']);
  }
  for (const pair of (text ?? '').split('|').filter((part) => part.length > 0)) {
    const separator = pair.indexOf(':');
    const field = pair.slice(0, separator).toUpperCase();
    if (separator < 1 || !isMemberColumn(field)) throw new SmartFocusFault('ISTUPD_MEMBER_FAILED', 'memberUID must be FIELD:value pairs of member columns.', ['memberUID']);
    match.set(field, pair.slice(separator + 1));
  }
  return match;
}
