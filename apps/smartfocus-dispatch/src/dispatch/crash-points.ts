import type { DispatchStep } from '@optimove/contracts';

export type CrashMoment = 'after-call' | 'after-save';

/**
 * A test-only fault hook (DISPATCH_TEST_CRASH_POINTS, refused in production): the process kills
 * itself with SIGKILL at the named points, so the crash tests reach every step deterministically:
 * `after-call` is after SmartFocus answered and before the answer was saved, `after-save` after
 * the step's progress was committed.
 */
export class CrashPoints {
  private readonly points: ReadonlySet<string>;

  constructor(setting: string, nodeEnv: string) {
    const points = setting.split(',').map((point) => point.trim()).filter(Boolean);
    if (points.length > 0 && nodeEnv === 'production') throw new Error('DISPATCH_TEST_CRASH_POINTS is for tests only and is refused in production');
    this.points = new Set(points);
  }

  reach(moment: CrashMoment, step: DispatchStep): void {
    if (this.points.has(`${moment}:${step}`)) process.kill(process.pid, 'SIGKILL');
  }
}
