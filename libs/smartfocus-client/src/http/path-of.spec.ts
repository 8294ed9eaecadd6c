import { pathOf } from './smartfocus-caller';
import { formatSendDate } from '../api/campaigns.api';

describe(pathOf.name, () => {
  it('should encode every segment so a value cannot add or hide path segments', () => {
    expect(pathOf('campaign', 'create', 'tok', 'exec 1/group A?', '..', 5, true)).toBe('campaign/create/tok/exec%201%2Fgroup%20A%3F/%2E%2E/5/true');
  });

  it('should refuse an empty segment', () => {
    expect(() => pathOf('message', '')).toThrow(/empty value/);
  });

  it('should write send dates as yyyy-MM-dd HH:mm:ss in UTC', () => {
    expect(formatSendDate(new Date('2026-12-01T20:05:09.123Z'), 'UTC')).toBe('2026-12-01 20:05:09');
    expect(formatSendDate(new Date('2026-12-01T20:05:09.123Z'), 'Europe/Paris')).toBe('2026-12-01 21:05:09');
  });
});
