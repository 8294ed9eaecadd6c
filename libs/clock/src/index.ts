export { type Clock, SystemClock, ManualClock, CLOCK } from './clock';
export { FollowedClock, type FollowedClockOptions } from './followed-clock';
export { formatZonedIso, formatZonedWallTime, fromZonedWallTime, isTimeZone, parseZonedDateTime, zoneOffsetMinutes } from './zoned-time';
