import { Readable } from 'node:stream';
import { CUSTOMER_ATTRIBUTES, type SyntheticRetailer, customersCsv, membersCsv, transactionsCsv, type Transaction } from '@optimove/synthetic-retailer';
import { smartFocusCampaignOf, type Analysis, type Campaign, type ExecutionReport, type ImportReport, type Named, type RunReport, type SnapshotFetch, type TemplateMessage } from './api-types';
import { type ClickSizing, type EffectSizing, type EngagementRates, sizeClickEffect, sizePlantedEffect } from './planted-effect';
import { type StackClient, waitFor } from './stack-client';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** How long the apps following the simulator's clock (CLOCK_FOLLOW_URL) take to see it move. */
export const CLOCK_SETTLE_MS = 600;

/** The template messages of the cycle's campaigns (named optimove_: offered to marketers). */
export const CYCLE_TEMPLATES = ['optimove_demo_winback', 'optimove_demo_ab_a', 'optimove_demo_ab_b', 'optimove_demo_welcome'] as const;
export type CycleTemplates = Record<(typeof CYCLE_TEMPLATES)[number], string>;

/** The cycle's campaigns; `reused` when a previous cycle of the same date created them. */
export type CycleCampaigns = Record<'winback' | 'abTest' | 'welcome', Campaign & { reused: boolean }>;

export type CycleOptions = {
  /** The business day of the retailer's files (`YYYY-MM-DD`); the night's run date is the next day. */
  asOfDate: string;
  /** Progress, one line at a time. */
  log?: (line: string) => void;
  /** How long the dispatch and the collection may take before the cycle gives up. */
  timeoutMs?: number;
};

/** The purchases after the send, with the planted effect on the win-back's treated customers. */
export type PlantedPurchases = { sizing: EffectSizing; treated: number; transactions: number; report: ImportReport };

function dayAfter(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
}

/**
 * The product's nightly cycle, driven over a running stack's HTTP APIs as a retailer, a marketer
 * and the world would: the day's files in, campaigns, the night's run, SmartFocus sending through
 * a simulated week, the customers' purchases after the send (with a planted effect), and each
 * campaign's analysis. The apps must follow the simulator's clock (CLOCK_FOLLOW_URL), which the
 * cycle moves. `npm run demo`, the end-to-end test and the nightly-cycle benchmark share it.
 */
export class NightlyCycle {
  readonly runDate: string;
  private readonly log: (line: string) => void;
  private readonly timeoutMs: number;

  constructor(
    private readonly stack: StackClient,
    readonly retailer: SyntheticRetailer,
    private readonly options: CycleOptions,
  ) {
    this.runDate = dayAfter(options.asOfDate);
    this.log = options.log ?? (() => undefined);
    this.timeoutMs = options.timeoutMs ?? 300_000;
  }

  /** Moves the simulator's clock, and with it every app following it. */
  async setClock(instant: Date): Promise<void> {
    await this.stack.must('smartfocus-simulator', 'PUT', '/admin/clock', { now: instant.toISOString() });
    await new Promise((resolve) => setTimeout(resolve, CLOCK_SETTLE_MS));
  }

  /** The evening of the business day: the files arrive. */
  evening(): Date {
    return new Date(`${this.options.asOfDate}T21:00:00Z`);
  }

  /** The members (generated addresses) go to the simulator only: the product never stores them. */
  async loadMembers(): Promise<{ inserted: number; updated: number; rejected: number }> {
    return this.stack.must('smartfocus-simulator', 'POST', '/admin/members/csv', Readable.from(membersCsv(this.retailer)), { 'Content-Type': 'text/csv' });
  }

  /** Declares the customers file's custom attributes in profile-import (again: no change). */
  async declareAttributes(): Promise<void> {
    for (const attribute of CUSTOMER_ATTRIBUTES) {
      const answer = await this.stack.call('profile-import', 'PUT', `/attributes/${attribute.name}`, { type: attribute.type, description: attribute.description });
      if (!answer.ok && answer.status !== 409) throw new Error(`declaring ${attribute.name} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
    }
  }

  /** Declares the custom attributes and delivers the day's customers and transactions files. */
  async deliverFiles(): Promise<{ customers: ImportReport; transactions: ImportReport }> {
    await this.declareAttributes();
    return {
      customers: await this.deliver('customers', customersCsv(this.retailer), this.options.asOfDate),
      transactions: await this.deliver('transactions', transactionsCsv(this.retailer.transactions()), this.options.asOfDate),
    };
  }

  /** Uploads one file to profile-import as a client would, generated while it streams. */
  async deliver(dataset: 'customers' | 'transactions', chunks: Iterable<string>, asOfDate: string): Promise<ImportReport> {
    const fileName = `${dataset}_${asOfDate.replaceAll('-', '')}.csv`;
    this.log(`delivering ${fileName} to profile-import...`);
    const report = await this.stack.must<ImportReport>('profile-import', 'POST', `/imports/${dataset}?fileName=${fileName}&asOf=${asOfDate}`, Readable.from(chunks), {
      'Content-Type': 'text/csv',
    });
    this.log(`  ${dataset}: ${report.status}, ${report.rows?.loaded ?? 0} rows loaded, ${report.rows?.rejected ?? 0} rejected${report.status === 'unchanged' ? ' (the same file as before)' : ''}`);
    return report;
  }

  /** The cycle's template messages in the simulator (found by name when a previous cycle made them). */
  async templates(): Promise<CycleTemplates> {
    const existing = await this.stack.must<TemplateMessage[]>('smartfocus-dispatch', 'GET', '/messages');
    const ids: Partial<Record<string, string>> = Object.fromEntries(existing.map((message) => [message.name, message.id]));
    const missing = CYCLE_TEMPLATES.filter((name) => !ids[name]);
    if (missing.length > 0) {
      const created = await this.stack.must<{ messages: TemplateMessage[] }>('smartfocus-simulator', 'POST', '/admin/messages/templates', {
        messages: missing.map((name) => ({
          name,
          subject: `Retail Co: ${name.replace('optimove_demo_', '').replace('_', ' ')}`,
          body: `[EMV HTMLPART]<html><body><h1>Hello [EMV FIELD]FIRSTNAME[EMV /FIELD]</h1><p>${name}</p><a href="[EMV LINK]1[EMV /LINK]">Shop now</a></body></html>[EMV TEXTPART]${name}`,
        })),
      });
      for (const message of created.messages) ids[message.name] = message.id;
    }
    return Object.fromEntries(CYCLE_TEMPLATES.map((name) => [name, ids[name]!])) as CycleTemplates;
  }

  /** Finds a target group or campaign by name (a second cycle of the same date reuses the first one's), else creates it. */
  private async ensureNamed<T extends Named>(path: string, body: { name: string } & Record<string, unknown>): Promise<T & { reused: boolean }> {
    const existing = (await this.stack.must<T[]>('segmentation', 'GET', path)).find((item) => item.name === body.name && item.status !== 'archived');
    if (existing) return { ...existing, reused: true };
    return { ...(await this.stack.must<T>('segmentation', 'POST', path, body)), reused: false };
  }

  /** Three target groups and three campaigns due on the run date: a win-back with a control group, an A/B test with a control group, a daily one. */
  async createCampaigns(templates: CycleTemplates): Promise<CycleCampaigns> {
    const groups = {
      lapsing: await this.ensureNamed<Named>('/target-groups', { name: 'Lapsing and churned buyers', rule: { field: 'lifecycle_stage', op: 'in', value: ['at_risk', 'churned'] } }),
      active: await this.ensureNamed<Named>('/target-groups', { name: 'Active buyers', rule: { all: [{ field: 'lifecycle_stage', op: 'in', value: ['active', 'reactivated'] }] } }),
      newcomers: await this.ensureNamed<Named>('/target-groups', { name: 'New customers', rule: { field: 'lifecycle_stage', op: 'eq', value: 'new' } }),
    };
    const common = { sendTime: '09:30', timeZone: 'Europe/Berlin' };
    const once = { type: 'once', date: this.runDate };
    const campaigns: CycleCampaigns = {
      winback: await this.ensureNamed<Campaign>('/campaigns', {
        ...common,
        name: `Win-back ${this.runDate}`,
        targetGroupId: groups.lapsing.id,
        templateMessageId: templates.optimove_demo_winback,
        recurrence: once,
        controlShare: 0.2,
        priority: 1,
        actionDurationDays: 14,
        abTestKpi: 'revenue_per_customer',
      }),
      abTest: await this.ensureNamed<Campaign>('/campaigns', {
        ...common,
        name: `A/B test of two messages ${this.runDate}`,
        targetGroupId: groups.active.id,
        variants: [
          { name: 'A', templateMessageId: templates.optimove_demo_ab_a, weight: 1 },
          { name: 'B', templateMessageId: templates.optimove_demo_ab_b, weight: 1 },
        ],
        recurrence: once,
        controlShare: 0.1,
        priority: 2,
        actionDurationDays: 7,
        abTestKpi: 'click_rate',
      }),
      welcome: await this.ensureNamed<Campaign>('/campaigns', {
        ...common,
        name: `Welcome (daily from ${this.runDate})`,
        targetGroupId: groups.newcomers.id,
        templateMessageId: templates.optimove_demo_welcome,
        recurrence: { type: 'daily', startDate: this.runDate },
        controlShare: 0.1,
        priority: 3,
        actionDurationDays: 7,
      }),
    };
    return campaigns;
  }

  /** Half past midnight of the run date: the night. */
  night(): Date {
    return new Date(`${this.runDate}T00:30:00Z`);
  }

  /** The night: the clock at half past midnight of the run date, the run started and awaited. */
  async runNight(): Promise<RunReport> {
    await this.setClock(this.night());
    return this.run(this.runDate);
  }

  /** Starts (or continues: runs are idempotent) the run of a date and waits for its end; a run not completed is an error. */
  async run(runDate: string): Promise<RunReport> {
    // A large run outlasts an HTTP request's header timeout: start it, then poll its report.
    await this.stack.must('segmentation', 'POST', '/runs', { runDate });
    const report = await waitFor(`the nightly run of ${runDate}`, this.timeoutMs, async () => {
      const current = await this.stack.must<RunReport>('segmentation', 'GET', `/runs/${runDate}`);
      return ['completed', 'failed', 'held'].includes(current.status) ? current : undefined;
    }, 200);
    if (report.status !== 'completed') throw new Error(`the nightly run of ${runDate} ended ${report.status}${report.error ? `: ${report.error}` : ''}`);
    return report;
  }

  /** Waits until SmartFocus dispatch has scheduled (or failed) every variant group of the run. */
  async waitForDispatch(runDate = this.runDate): Promise<RunReport> {
    return waitFor(`SmartFocus dispatch of the run of ${runDate}`, this.timeoutMs, async () => {
      const report = await this.stack.must<RunReport>('segmentation', 'GET', `/runs/${runDate}`);
      const variants = report.executions.flatMap((execution) => execution.groups.filter((group) => group.kind === 'variant'));
      return variants.every((group) => group.dispatch.status !== 'pending') ? report : undefined;
    }, 200);
  }

  /**
   * The planted click effect, once dispatch scheduled the A/B test's groups and before their send:
   * message B's engagement factor in the simulator, sized on the two SmartFocus campaigns' own
   * rates and the groups' sizes so that the test on the click rate names B with a power of 99 %.
   */
  async plantClickEffect(report: RunReport, abTest: Campaign): Promise<ClickSizing> {
    const execution = report.executions.find((one) => one.campaignId === abTest.id);
    const variant = (name: string): { size: number; smartFocusCampaignId: string; templateMessageId: string } => {
      const group = execution?.groups.find((one) => one.kind === 'variant' && one.name === name);
      const templateMessageId = abTest.variants.find((one) => one.name === name)?.templateMessageId;
      const smartFocusCampaignId = group && smartFocusCampaignOf(group);
      if (!group || !smartFocusCampaignId || !templateMessageId) throw new Error(`variant ${name} of ${abTest.name} was not scheduled in SmartFocus on ${this.runDate}`);
      return { size: group.size, smartFocusCampaignId, templateMessageId };
    };
    const [a, b] = [variant('A'), variant('B')];
    const engagement = (id: string): Promise<{ engagementFactor: number; rates: EngagementRates }> => this.stack.must('smartfocus-simulator', 'GET', `/admin/campaigns/${id}/engagement`);
    const [onA, onB] = [await engagement(a.smartFocusCampaignId), await engagement(b.smartFocusCampaignId)];
    const sizing = sizeClickEffect({ rates: onA.rates, factor: onA.engagementFactor, size: a.size }, { rates: onB.rates, size: b.size });
    await this.stack.must('smartfocus-simulator', 'PUT', `/admin/messages/${b.templateMessageId}/engagement-factor`, { factor: sizing.factor });
    return sizing;
  }

  /** The send time of the run's executions (the latest, when they differ). */
  static sendTime(report: RunReport): Date {
    return new Date(Math.max(...report.executions.map((execution) => Date.parse(execution.scheduledAt))));
  }

  /**
   * Moves the clock through the week after the send, day by day, and waits at each step until
   * metrics-collector has fetched every snapshot due by then. The steps are the collector's own
   * schedule (each day's latest due time, a minute after it), read once it has planned every group
   * SmartFocus scheduled: its send-end delay and the send time SmartFocus holds are its own.
   * Returns the fetches per execution.
   */
  async collectWeek(report: RunReport, onDay?: (day: number, fetches: SnapshotFetch[]) => void): Promise<Map<string, SnapshotFetch[]>> {
    const read = async (): Promise<Map<string, SnapshotFetch[]>> => {
      const all = new Map<string, SnapshotFetch[]>();
      for (const execution of report.executions) {
        all.set(execution.executionId, await this.stack.must<SnapshotFetch[]>('metrics-collector', 'GET', `/executions/${execution.executionId}/snapshots`));
      }
      return all;
    };
    const scheduled = report.executions.flatMap((execution) => execution.groups.filter((group) => smartFocusCampaignOf(group) !== undefined).map((group) => group.groupId));
    let fetches = await waitFor('the collection plan of every group SmartFocus scheduled', this.timeoutMs, async () => {
      const all = await read();
      const planned = new Set([...all.values()].flat().map((fetch) => fetch.groupId));
      return scheduled.every((groupId) => planned.has(groupId)) ? all : undefined;
    }, 500);
    const plan = [...fetches.values()].flat();
    for (const day of [...new Set(plan.map((fetch) => fetch.day))].sort((a, b) => a - b)) {
      const now = new Date(Math.max(...plan.filter((fetch) => fetch.day === day).map((fetch) => Date.parse(fetch.dueAt))) + MINUTE);
      await this.setClock(now);
      fetches = await waitFor(`the snapshots due by ${now.toISOString()}`, this.timeoutMs, async () => {
        const all = await read();
        const due = [...all.values()].flat().filter((fetch) => Date.parse(fetch.dueAt) <= now.getTime());
        return due.every((fetch) => fetch.status !== 'pending') ? all : undefined;
      }, 500);
      onDay?.(day, [...fetches.values()].flat());
    }
    return fetches;
  }

  /** The customers a variant group's SmartFocus campaign reached (from the simulator: the world, not the product). */
  async recipients(execution: ExecutionReport): Promise<string[]> {
    const ids: string[] = [];
    for (const group of execution.groups.filter((one) => one.kind === 'variant')) {
      const smartFocusCampaignId = smartFocusCampaignOf(group);
      if (!smartFocusCampaignId) throw new Error(`group ${group.name} of ${execution.campaignName} was not scheduled in SmartFocus (${group.dispatch.status})`);
      const answer = await this.stack.must<{ customerIds: string[] }>('smartfocus-simulator', 'GET', `/admin/campaigns/${smartFocusCampaignId}/recipients`);
      ids.push(...answer.customerIds);
    }
    return ids;
  }

  /**
   * The end of every campaign's action duration: the clock moves there, and the customers'
   * purchases since the send arrive as that day's transactions file, the win-back's treated
   * customers buying more by an effect sized for a power above 99 %.
   */
  async plantPurchases(report: RunReport, winback: Campaign, days: number): Promise<PlantedPurchases> {
    const execution = report.executions.find((one) => one.campaignId === winback.id);
    if (!execution) throw new Error(`the run of ${this.runDate} has no execution of ${winback.name}`);
    const sendAt = NightlyCycle.sendTime(report);
    const treated = await this.recipients(execution);
    const control = execution.groups.filter((group) => group.kind === 'control').reduce((sum, group) => sum + group.size, 0);
    const window = { from: sendAt.toISOString(), days };
    const sizing = sizePlantedEffect(this.retailer, treated, { treated: treated.length, control }, window);
    const end = new Date(sendAt.getTime() + days * DAY);
    await this.setClock(new Date(end.getTime() + 60 * MINUTE));
    const treatedSet = new Set(treated);
    const others = (function* (retailer: SyntheticRetailer): Generator<string> {
      for (let index = 0; index < retailer.customerCount; index++) {
        const id = retailer.customerId(index);
        if (!treatedSet.has(id)) yield id;
      }
    })(this.retailer);
    let transactions = 0;
    const counted = (function* (rows: Iterable<Transaction>): Generator<Transaction> {
      for (const row of rows) {
        transactions += 1;
        yield row;
      }
    })(
      this.retailer.postSendPurchases({
        ...window,
        salt: `cycle${this.runDate.replaceAll('-', '')}`,
        groups: [{ customerIds: treated, effect: { purchaseRateFactor: sizing.purchaseRateFactor } }, { customerIds: others }],
      }),
    );
    const importReport = await this.deliver('transactions', transactionsCsv(counted), end.toISOString().slice(0, 10));
    return { sizing, treated: treated.length, transactions, report: importReport };
  }

  /** Each campaign's analysis over all its executions. */
  async analyses(campaigns: readonly Campaign[]): Promise<Analysis[]> {
    const analyses: Analysis[] = [];
    for (const campaign of campaigns) analyses.push(await this.stack.must<Analysis>('metrics-collector', 'GET', `/campaigns/${campaign.id}/analysis`));
    return analyses;
  }
}
