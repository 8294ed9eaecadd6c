import { SmartFocusEmptySegmentError, SmartFocusSessionError, SmartFocusTransientError, SmartFocusValidationError } from '@optimove/smartfocus-client';
import { CrashPoints } from './crash-points';
import { PermanentDispatchError, classifyFailure } from './dispatch-errors';
import { nextStep, smartFocusName } from './dispatch-state';

describe(classifyFailure.name, () => {
  it('should retry what may pass and stop at what SmartFocus refused', () => {
    expect(classifyFailure(new SmartFocusTransientError('500', { operation: 'campaign/post', status: 'INTERNAL_ERROR' }))).toMatchObject({ permanent: false, code: 'INTERNAL_ERROR' });
    expect(classifyFailure(new SmartFocusSessionError('expired', { operation: 'segment/count', status: 'CHECK_SESSION_FAILED' }))).toMatchObject({ permanent: false });
    expect(classifyFailure(new Error('connection terminated'))).toMatchObject({ permanent: false, code: 'INTERNAL' });
    expect(classifyFailure(new SmartFocusValidationError('used', { operation: 'campaign/create', status: 'MESSAGE_ALREADY_USED' }))).toMatchObject({
      permanent: true,
      code: 'MESSAGE_ALREADY_USED',
      smartFocusStatus: 'MESSAGE_ALREADY_USED',
    });
    expect(classifyFailure(new SmartFocusEmptySegmentError('empty', { operation: 'campaign/create', status: 'SEGMENT_WITHOUT_CRITERIA' }))).toMatchObject({ permanent: true });
    expect(classifyFailure(new PermanentDispatchError('LATE', 'too late'))).toEqual({ permanent: true, code: 'LATE', message: 'too late', smartFocusStatus: undefined });
  });
});

describe(CrashPoints.name, () => {
  it('should refuse crash points in production', () => {
    expect(() => new CrashPoints('after-call:create-campaign', 'production')).toThrow(/refused in production/);
    expect(() => new CrashPoints('', 'production')).not.toThrow();
  });
});

describe(nextStep.name, () => {
  it('should walk the steps in order and stop once posted', () => {
    const order = [];
    for (const progress of ['assembled', 'message-cloned', 'segment-created', 'criteria-added', 'segment-counted', 'campaign-created', 'posted'] as const) order.push(nextStep(progress));
    expect(order).toEqual(['clone-message', 'create-segment', 'add-criteria', 'count-segment', 'create-campaign', 'post-campaign', undefined]);
  });

  it('should name every SmartFocus object of a group the same way, never as a template', () => {
    const name = smartFocusName({ executionId: '1b4e28ba-2fa1-11d2-883f-0016d3cca427', groupId: '6fa459ea-ee8a-3ca4-894e-db77e160355e' });
    expect(name).toBe('dispatch_1b4e28ba-2fa1-11d2-883f-0016d3cca427_6fa459ea-ee8a-3ca4-894e-db77e160355e');
    expect(name.startsWith('optimove_')).toBe(false);
  });
});
