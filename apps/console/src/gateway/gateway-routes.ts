/** The services the console speaks to, by the name used in its URLs (/api/<service>/...). */
export const SERVICES = ['profile-import', 'segmentation', 'smartfocus-dispatch', 'metrics-collector'] as const;
export type ServiceName = (typeof SERVICES)[number];

export type GatewayRoute = {
  service: ServiceName;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The service's own path (after /api/<service>), matched whole. */
  path: RegExp;
  /** The request body is streamed through untouched (file uploads). */
  stream?: boolean;
  /** The answer is a page from outside (an e-mail preview): served under a sandboxing CSP. */
  untrustedHtml?: boolean;
};

// An id never starts with a dot, so no path segment can be '.' or '..'.
const ID = '[A-Za-z0-9_:-][A-Za-z0-9_.:-]*';
const DATE = '\\d{4}-\\d{2}-\\d{2}';
const route = (service: ServiceName, method: GatewayRoute['method'], path: string, extra: Partial<GatewayRoute> = {}): GatewayRoute => ({
  service,
  method,
  path: new RegExp(`^${path}$`),
  ...extra,
});

/**
 * Only what the console's pages use: anything else is 404 here, whatever the services offer
 * (their operator routes such as re-drives stay out of a marketer's reach).
 */
export const GATEWAY_ROUTES: readonly GatewayRoute[] = [
  // profile-import: the imports page
  route('profile-import', 'GET', '/imports'),
  route('profile-import', 'GET', `/imports/${ID}`),
  route('profile-import', 'POST', '/imports/(customers|transactions)', { stream: true }),
  // segmentation: customer model, target groups, campaigns, nightly runs (apps/segmentation/README.md)
  route('segmentation', 'GET', '/model'),
  route('segmentation', 'GET', '/model/(distribution|changers)'),
  route('segmentation', 'GET', '/target-groups/fields'),
  route('segmentation', 'GET', '/target-groups'),
  route('segmentation', 'POST', '/target-groups'),
  route('segmentation', 'POST', '/target-groups/preview'),
  route('segmentation', 'GET', `/target-groups/${ID}`),
  route('segmentation', 'PUT', `/target-groups/${ID}`),
  route('segmentation', 'GET', `/target-groups/${ID}/preview`),
  route('segmentation', 'GET', '/campaigns'),
  route('segmentation', 'POST', '/campaigns'),
  route('segmentation', 'GET', `/campaigns/${ID}`),
  route('segmentation', 'PUT', `/campaigns/${ID}`),
  route('segmentation', 'POST', `/campaigns/${ID}/(pause|resume|archive)`),
  route('segmentation', 'GET', '/runs'),
  route('segmentation', 'GET', `/runs/${DATE}`),
  route('segmentation', 'POST', '/runs/preview'),
  // smartfocus-dispatch: template messages and each group's dispatch
  route('smartfocus-dispatch', 'GET', '/messages'),
  route('smartfocus-dispatch', 'GET', `/messages/${ID}/preview`, { untrustedHtml: true }),
  route('smartfocus-dispatch', 'GET', '/dispatches'),
  route('smartfocus-dispatch', 'POST', `/dispatches/${ID}/retry`),
  // metrics-collector: the campaign analysis (JSON, or CSV with ?format=csv)
  route('metrics-collector', 'GET', `/campaigns/${ID}/analysis`),
  route('metrics-collector', 'GET', `/executions/${ID}/analysis`),
];

export function findRoute(service: string, method: string, path: string): GatewayRoute | undefined {
  return GATEWAY_ROUTES.find((candidate) => candidate.service === service && candidate.method === method.toUpperCase() && candidate.path.test(path));
}
