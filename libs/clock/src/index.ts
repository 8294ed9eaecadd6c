export { type Clock, SystemClock, ManualClock, CLOCK } from './clock';
