export { type Clock, SystemClock, ManualClock, CLOCK } from './clock';
export { formatZonedIso, formatZonedWallTime, fromZonedWallTime, isTimeZone, parseZonedDateTime, zoneOffsetMinutes } from './zoned-time';
