import { checkVolume } from './volume-check';

describe(checkVolume.name, () => {
  it('should say nothing with too little history', () => {
    expect(checkVolume(10, [100, 100], 2, 3)).toEqual({ suspicious: false, note: 'not checked: 2 earlier import(s), 3 needed' });
  });

  it('should flag a spike and a drop beyond the factor', () => {
    expect(checkVolume(250, [100, 100, 100], 2, 3)).toMatchObject({ suspicious: true, note: expect.stringContaining('spike') as string });
    expect(checkVolume(40, [100, 100, 100], 2, 3)).toMatchObject({ suspicious: true, note: expect.stringContaining('drop') as string });
    expect(checkVolume(150, [100, 100, 100], 2, 3)).toMatchObject({ suspicious: false });
  });

  it('should average only the last 7 imports', () => {
    expect(checkVolume(100, [100, 100, 100, 100, 100, 100, 100, 1_000_000], 2, 3).suspicious).toBe(false);
  });
});
