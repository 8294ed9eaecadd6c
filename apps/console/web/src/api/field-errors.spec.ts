import { ApiError, toApiError } from './client';
import { fieldErrors } from './field-errors';

describe(fieldErrors.name, () => {
  const FIELDS = ['name', 'controlShare', 'variants', 'targetGroupId', 'rule'];

  it('should put Nest validation messages on the field they start with', () => {
    const error = toApiError(400, { statusCode: 400, message: ['controlShare must not be greater than 50', 'variants.1.weight must be a positive number', 'something else went wrong'] });
    expect(fieldErrors(error, FIELDS)).toEqual({
      byField: { controlShare: 'controlShare must not be greater than 50', variants: 'variants.1.weight must be a positive number' },
      other: ['something else went wrong'],
    });
  });

  it('should put an error with a JSON path on the field the path starts with', () => {
    const error = toApiError(400, { message: 'Unknown field "shoe_size"', path: '$.rule.all[2].field' });
    expect(fieldErrors(error, FIELDS).byField).toEqual({ rule: 'Unknown field "shoe_size"' });
  });

  it('should read an errors list of paths and messages', () => {
    const error = toApiError(400, { message: 'Invalid', errors: [{ path: 'name', message: 'must be unique' }] });
    expect(fieldErrors(error, FIELDS)).toEqual({ byField: { name: 'must be unique (name)' }, other: [] });
  });

  it('should show a failure that is not an API answer above the form', () => {
    expect(fieldErrors(new Error('offline'), FIELDS)).toEqual({ byField: {}, other: ['offline'] });
    expect(fieldErrors(new ApiError(502, 'The service is not reachable', [], undefined), FIELDS).other).toEqual(['The service is not reachable']);
  });
});

describe('fieldErrors with segmentation problems', () => {
  it('should place each problem on the field it names or by the words it uses', () => {
    const error = toApiError(400, {
      message: 'the campaign cannot run: ...',
      problems: ['recurrence.date 2020-01-01 is in the past (today is 2026-11-30)', '"Mars/Base" is not an IANA time zone (e.g. Europe/Berlin)', 'an A/B test needs abTestKpi (revenue_per_customer, ...)', 'something else'],
    });
    expect(fieldErrors(error, ['recurrence', 'timeZone', 'abTestKpi'], { 'time zone': 'timeZone' })).toEqual({
      byField: {
        recurrence: 'recurrence.date 2020-01-01 is in the past (today is 2026-11-30)',
        timeZone: '"Mars/Base" is not an IANA time zone (e.g. Europe/Berlin)',
        abTestKpi: 'an A/B test needs abTestKpi (revenue_per_customer, ...)',
      },
      other: ['something else'],
    });
  });
});
