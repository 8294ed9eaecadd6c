import { findRoute } from './gateway-routes';

describe(findRoute.name, () => {
  it.each([
    ['profile-import', 'GET', '/imports'],
    ['profile-import', 'POST', '/imports/customers'],
    ['segmentation', 'POST', '/target-groups/preview'],
    ['smartfocus-dispatch', 'POST', '/dispatches/42/retry'],
    ['metrics-collector', 'GET', '/executions/0b9c6f3e-1d2a-4c55-9a51-1f7f0d1e2a3b/analysis'],
  ])('should let %s %s %s through when the console uses it', (service, method, path) => {
    expect(findRoute(service, method, path)).toBeDefined();
  });

  it.each([
    ['profile-import', 'POST', '/imports/anything-else'],
    ['profile-import', 'DELETE', '/imports/1'],
    ['segmentation', 'GET', '/runs/../../etc'],
    ['segmentation', 'POST', '/runs'],
    ['segmentation', 'PATCH', '/campaigns/1'],
    ['profile-import', 'GET', '/imports/..'],
    ['smartfocus-simulator', 'GET', '/messages'],
    ['smartfocus-dispatch', 'GET', '/messages/1/preview/../../x'],
  ])('should refuse %s %s %s when the console has no use for it', (service, method, path) => {
    expect(findRoute(service, method, path)).toBeUndefined();
  });

  it('should stream an upload through and mark a message preview as untrusted HTML', () => {
    expect(findRoute('profile-import', 'POST', '/imports/transactions')?.stream).toBe(true);
    expect(findRoute('smartfocus-dispatch', 'GET', '/messages/100000001/preview')?.untrustedHtml).toBe(true);
  });
});
