import { redactText } from '@optimove/observability';
import { registerRouteRedaction } from './log-redaction';

describe(registerRouteRedaction.name, () => {
  it('should mask the credentials and session tokens in the paths the simulator serves', () => {
    registerRouteRedaction();

    expect(redactText('GET /apiccmd/services/rest/connect/open/login/pw/key 200')).toBe('GET /apiccmd/services/rest/connect/open/[redacted] 200');
    expect(redactText('GET /apiccmd/services/rest/campaign/get/TOKEN123abc/4')).not.toContain('TOKEN123abc');
    expect(redactText('PUT /segmentationservice/TOKEN123abc/segment')).not.toContain('TOKEN123abc');
  });
});
