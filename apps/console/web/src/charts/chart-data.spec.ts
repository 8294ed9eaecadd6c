import { stageBars } from './chart-data';

describe(stageBars.name, () => {
  it('should order the stages as the lifecycle runs, unknown ones last', () => {
    expect(stageBars({ churned: 3, zeta: 1, active: 10, new: 2, alpha: 4 })).toEqual([
      { stage: 'new', customers: 2 },
      { stage: 'active', customers: 10 },
      { stage: 'churned', customers: 3 },
      { stage: 'alpha', customers: 4 },
      { stage: 'zeta', customers: 1 },
    ]);
  });
});
