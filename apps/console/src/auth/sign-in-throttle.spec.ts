import { SignInThrottle } from './sign-in-throttle';

describe(SignInThrottle.name, () => {
  it('should block a user name when it failed the maximum number of times within the period', () => {
    const throttle = new SignInThrottle(3, 60_000);
    for (const at of [0, 1_000, 2_000]) throttle.recordFailure('alice', at);
    expect(throttle.isBlocked('alice', 3_000)).toBe(true);
    expect(throttle.isBlocked('bob', 3_000)).toBe(false);
  });

  it('should let the name in again when the oldest failure left the period', () => {
    const throttle = new SignInThrottle(2, 60_000);
    throttle.recordFailure('alice', 0);
    throttle.recordFailure('alice', 30_000);
    expect(throttle.isBlocked('alice', 59_999)).toBe(true);
    expect(throttle.isBlocked('alice', 60_000)).toBe(false);
  });

  it('should forget the failures when the user signs in', () => {
    const throttle = new SignInThrottle(1, 60_000);
    throttle.recordFailure('alice', 0);
    throttle.reset('alice');
    expect(throttle.isBlocked('alice', 1)).toBe(false);
  });
});
