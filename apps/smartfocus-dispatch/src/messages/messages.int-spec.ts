import { startTestService, type RunningTestService } from '@optimove/testing';
import { serviceEntry } from '../service-entry';
import { API_TOKEN, DispatchHarness } from '../../test/dispatch-harness';

// The template message picker (GET /messages) against the simulator over real HTTP. It scans the
// newest messages only, and every dispatch adds a clone of a template: a template the picker has
// found must stay in it once newer messages push it out of the scan, also after a restart.

describe('the template message picker', () => {
  const harness = new DispatchHarness('messages');
  const env = (): Record<string, string> => harness.dispatchEnv({ DISPATCH_TEMPLATE_SCAN_LIMIT: '3', DISPATCH_MESSAGES_CACHE_MS: '0' });
  let dispatch: RunningTestService | undefined;

  beforeAll(async () => {
    await harness.start();
    dispatch = await startTestService(serviceEntry(env()));
  }, 180_000);

  afterAll(async () => {
    await dispatch?.close();
    await harness.stop(harness.dispatchQueues());
  }, 60_000);

  async function templateNames(): Promise<string[]> {
    const response = await fetch(`${dispatch!.baseUrl}/messages`, { headers: { Authorization: `Bearer ${API_TOKEN}` } });
    expect(response.status).toBe(200);
    return ((await response.json()) as { name: string }[]).map((message) => message.name).sort();
  }

  const message = (name: string): { name: string; subject: string; body: string } => ({ name, subject: name, body: '[EMV HTMLPART]<p>Hi</p>[EMV TEXTPART]Hi' });

  it('should keep listing a template once newer messages push it out of the newest ones scanned, also after a restart', async () => {
    await harness.admin.seedTemplates([message('optimove_spring'), message('newsletter_1')]);
    expect(await templateNames()).toEqual(['optimove_spring']);

    // Three newer messages (clones, as dispatch makes one per group): the template is no longer among the newest three.
    await harness.admin.seedTemplates([message('dispatch_clone_1'), message('dispatch_clone_2'), message('optimove_summer')]);
    expect(await templateNames()).toEqual(['optimove_spring', 'optimove_summer']);

    await dispatch!.close();
    dispatch = await startTestService(serviceEntry(env()));
    await harness.admin.seedTemplates([message('dispatch_clone_3'), message('dispatch_clone_4'), message('dispatch_clone_5')]);
    expect(await templateNames()).toEqual(['optimove_spring', 'optimove_summer']);
  }, 120_000);
});
