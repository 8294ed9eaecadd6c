import { FollowedClock, SystemClock, type Clock } from '@optimove/clock';
import type { BaseServiceConfig } from '@optimove/config';
import type { Logger } from '@optimove/observability';

/** The machine's time, or in development and tests the simulated time CLOCK_FOLLOW_URL reports. */
export async function clockOf(config: BaseServiceConfig, logger: Logger): Promise<Clock> {
  if (!config.CLOCK_FOLLOW_URL) return new SystemClock();
  if (config.NODE_ENV === 'production') throw new Error('CLOCK_FOLLOW_URL is for development and tests only and is refused in production');
  const clock = await FollowedClock.start({
    url: config.CLOCK_FOLLOW_URL,
    token: config.API_TOKEN,
    onError: (error) => logger.warn({ err: error }, 'The followed clock did not answer; its last offset stays in force'),
  });
  logger.warn({ url: config.CLOCK_FOLLOW_URL, now: clock.now().toISOString() }, 'Time follows a simulated clock (development and tests only)');
  return clock;
}
