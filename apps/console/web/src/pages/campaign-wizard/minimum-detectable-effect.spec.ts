import { minimumDetectableEffect } from './minimum-detectable-effect';

describe(minimumDetectableEffect.name, () => {
  it('should match the textbook two-proportion figure for equal groups', () => {
    // 2 x 1,000 customers at a 10 % purchase rate: 2.8016 x sqrt(0.09 x (2 / 1000)) = 0.03759
    expect(minimumDetectableEffect(2_000, 0.5, 0.1)).toBeCloseTo(0.037585, 5);
  });

  it('should grow when the control share shrinks, for the same target size', () => {
    expect(minimumDetectableEffect(50_000, 0.05, 0.05)!).toBeGreaterThan(minimumDetectableEffect(50_000, 0.2, 0.05)!);
  });

  it('should say nothing when there is no control group or no customer', () => {
    expect(minimumDetectableEffect(10_000, 0, 0.05)).toBeUndefined();
    expect(minimumDetectableEffect(0, 0.1, 0.05)).toBeUndefined();
  });
});
