import { SignInThrottle, type SignInAttempt } from './sign-in-throttle';

/** An attempt that must be allowed. */
function begin(throttle: SignInThrottle, userName: string, atMs: number): SignInAttempt {
  const answer = throttle.begin(userName, atMs);
  if (!answer.ok) throw new Error(`${userName} was refused at ${atMs}: ${answer.reason}`);
  return answer.attempt;
}

function failAt(throttle: SignInThrottle, userName: string, atMs: number): void {
  throttle.fail(begin(throttle, userName, atMs));
}

const refusal = (throttle: SignInThrottle, userName: string, atMs: number): string | undefined => {
  const answer = throttle.begin(userName, atMs);
  return answer.ok ? undefined : answer.reason;
};

describe(SignInThrottle.name, () => {
  it('should block a user name when it failed the maximum number of times within the period', () => {
    const throttle = new SignInThrottle(3, 60_000);
    for (const at of [0, 1_000, 2_000]) failAt(throttle, 'alice', at);
    expect(refusal(throttle, 'alice', 3_000)).toBe('throttled');
    expect(refusal(throttle, 'bob', 3_000)).toBeUndefined();
  });

  it('should let the name in again when the oldest failure left the period', () => {
    const throttle = new SignInThrottle(2, 60_000);
    failAt(throttle, 'alice', 0);
    failAt(throttle, 'alice', 30_000);
    expect(refusal(throttle, 'alice', 59_999)).toBe('throttled');
    expect(refusal(throttle, 'alice', 60_000)).toBeUndefined();
  });

  it('should count attempts still being checked when many arrive at once', () => {
    const throttle = new SignInThrottle(3, 60_000);
    const answers = Array.from({ length: 30 }, () => throttle.begin('alice', 0));
    expect(answers.filter((answer) => answer.ok)).toHaveLength(3);
    expect(answers.filter((answer) => !answer.ok && answer.reason === 'throttled')).toHaveLength(27);
  });

  it('should forget the failures made before it when the user signs in', () => {
    const throttle = new SignInThrottle(2, 60_000);
    failAt(throttle, 'alice', 0);
    throttle.succeed(begin(throttle, 'alice', 1));
    failAt(throttle, 'alice', 2);
    expect(refusal(throttle, 'alice', 3)).toBeUndefined();
  });

  it('should keep counting the failures in flight beside a sign-in when it succeeds', () => {
    const throttle = new SignInThrottle(3, 60_000);
    const guesses = [begin(throttle, 'alice', 0), begin(throttle, 'alice', 0)];
    const right = begin(throttle, 'alice', 0);
    for (const guess of guesses) throttle.fail(guess);
    throttle.succeed(right);

    failAt(throttle, 'alice', 1);
    expect(refusal(throttle, 'alice', 2)).toBe('throttled');
  });

  it('should keep counting a name when ten thousand other names fail after it', () => {
    const throttle = new SignInThrottle(3, 60_000);
    for (const at of [0, 1, 2]) failAt(throttle, 'alice', at);
    for (let i = 0; i < 10_000; i++) {
      const answer = throttle.begin(`junk-${i}`, 3);
      if (answer.ok) throttle.fail(answer.attempt);
    }
    expect(refusal(throttle, 'alice', 4)).toBe('throttled');
  });

  it('should refuse a new name while the table is full and take it once a tracked name left the period', () => {
    const throttle = new SignInThrottle(3, 60_000, 2);
    failAt(throttle, 'alice', 0);
    failAt(throttle, 'bob', 10_000);
    expect(refusal(throttle, 'carol', 20_000)).toBe('busy');
    // A tracked name is still checked while the table is full.
    failAt(throttle, 'bob', 20_000);

    // alice's only failure left the period at 60 000: her place is free, bob's count is kept.
    failAt(throttle, 'carol', 60_000);
    failAt(throttle, 'bob', 60_000);
    expect(refusal(throttle, 'bob', 60_001)).toBe('throttled');
    expect(refusal(throttle, 'dave', 60_001)).toBe('busy');
  });

  it('should free the place of a name that signed in without a failure left', () => {
    const throttle = new SignInThrottle(3, 60_000, 1);
    throttle.succeed(begin(throttle, 'alice', 0));
    expect(refusal(throttle, 'bob', 1)).toBeUndefined();
  });
});
