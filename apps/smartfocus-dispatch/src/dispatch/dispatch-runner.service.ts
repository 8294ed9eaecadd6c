import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@optimove/clock';
import type { DispatchStep } from '@optimove/contracts';
import { LOGGER, type Logger } from '@optimove/observability';
import { SmartFocusClient, SmartFocusNotFoundError, SmartFocusValidationError } from '@optimove/smartfocus-client';
import { SmartFocusDispatchConfig } from '../config/smartfocus-dispatch.config';
import { CrashPoints } from './crash-points';
import { ClaimLostError, PermanentDispatchError, classifyFailure, type ClassifiedFailure } from './dispatch-errors';
import { DispatchOutcomes, ids } from './dispatch-outcomes.service';
import { nextStep, smartFocusName, type Dispatch } from './dispatch-state';
import { DispatchesRepository, type DispatchUpdate } from './dispatches.repository';

const SEGMENT_PAGE = 1_000;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A claimed group's run: the step functions that return the group as saved after them. */
type Run = { dispatch: Dispatch; workerId: string; stopping: () => boolean };

/**
 * One group's dispatch as a persisted state machine: clone the template message, create the
 * segment, add the customer-id criteria in chunks, count the segment, create the campaign, post
 * it, then publish `campaign.scheduled.v1`. Each step first looks for what an earlier attempt
 * made (by the deterministic name) and saves its result before the next one, so a crash or a
 * second replica at any point never makes a second campaign.
 */
@Injectable()
export class DispatchRunner {
  constructor(
    private readonly client: SmartFocusClient,
    private readonly dispatches: DispatchesRepository,
    private readonly outcomes: DispatchOutcomes,
    private readonly crash: CrashPoints,
    @Inject(SmartFocusDispatchConfig) private readonly config: SmartFocusDispatchConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Runs a claimed group until it is scheduled, fails, must wait for a retry, or the replica stops. */
  async run(claimed: Dispatch, workerId: string, stopping: () => boolean): Promise<void> {
    const run: Run = { dispatch: claimed, workerId, stopping };
    let step = nextStep(claimed.progress);
    try {
      while (step !== undefined && run.dispatch.state === 'dispatching') {
        if (stopping()) {
          await this.release(run);
          return;
        }
        await this.perform(step, run);
        step = nextStep(run.dispatch.progress);
      }
    } catch (error) {
      await this.failed(run, step ?? 'post-campaign', error);
    }
  }

  private async perform(step: DispatchStep, run: Run): Promise<void> {
    switch (step) {
      case 'assemble-list':
        throw new Error('A group being dispatched is assembled');
      case 'clone-message':
        return this.cloneMessage(run);
      case 'create-segment':
        return this.createSegment(run);
      case 'add-criteria':
        return this.addCriteria(run);
      case 'count-segment':
        return this.countSegment(run);
      case 'create-campaign':
        return this.createCampaign(run);
      case 'post-campaign':
        return this.postCampaign(run);
    }
  }

  private async cloneMessage(run: Run): Promise<void> {
    const templateId = Number(run.dispatch.templateMessageId);
    if (!run.dispatch.templateMessageId || !Number.isSafeInteger(templateId)) throw new PermanentDispatchError('UNKNOWN_TEMPLATE', 'The group names no template message');
    const template = await this.client.messages.get(templateId).catch((error: unknown) => {
      if (error instanceof SmartFocusNotFoundError) throw new PermanentDispatchError('UNKNOWN_TEMPLATE', `Template message ${templateId} does not exist in SmartFocus`, error.status);
      throw error;
    });
    if (!template.name.startsWith('optimove_')) {
      throw new PermanentDispatchError('NOT_OPTIMOVE_TEMPLATE', `Message ${templateId} is not an optimove_ template message; only those are sent`);
    }
    const name = smartFocusName(run.dispatch);
    const earlier = await this.client.messages.byField('name', name, 10);
    const messageId = earlier.length > 0 ? Math.max(...earlier) : await this.client.messages.clone(templateId, name);
    this.crash.reach('after-call', 'clone-message');
    await this.save(run, { progress: 'message-cloned', smartFocusMessageId: String(messageId) });
    this.crash.reach('after-save', 'clone-message');
  }

  private async createSegment(run: Run): Promise<void> {
    const name = smartFocusName(run.dispatch);
    // Only an attempt that got as far as calling create can have made one: look it up then.
    let segmentId = run.dispatch.segmentCreateStarted ? await this.findSegment(name) : undefined;
    if (segmentId === undefined) {
      if (!run.dispatch.segmentCreateStarted) await this.save(run, { segmentCreateStarted: true });
      segmentId = await this.client.segments.create({ name, description: description(run.dispatch) });
    }
    this.crash.reach('after-call', 'create-segment');
    await this.save(run, { progress: 'segment-created', smartFocusSegmentId: String(segmentId) });
    this.crash.reach('after-save', 'create-segment');
  }

  private async findSegment(name: string): Promise<number | undefined> {
    let found: number | undefined;
    for (let page = 1; ; page++) {
      const segments = await this.client.segments.list(page, SEGMENT_PAGE);
      for (const segment of segments) if (segment.name === name) found = Math.max(found ?? 0, segment.id);
      if (segments.length < SEGMENT_PAGE) return found;
    }
  }

  private async addCriteria(run: Run): Promise<void> {
    const segmentId = Number(run.dispatch.smartFocusSegmentId);
    const groupIds = await this.dispatches.customerIds(run.dispatch.executionId, run.dispatch.groupId);
    // SmartFocus trims the text of an XML value: ' 42' would select the customer 42 (perhaps one
    // of the control group). Such ids are left out and not counted as recipients, so the count
    // check still compares the members selected with the ids actually sent.
    const customerIds = groupIds.filter((id) => id.trim() === id);
    if (customerIds.length === 0) throw new PermanentDispatchError('NO_SELECTABLE_CUSTOMER_ID', 'Every customer id of the group has spaces around it, which SmartFocus trims; nothing is sent');
    if (customerIds.length < groupIds.length) {
      this.logger.warn({ ...ids(run.dispatch), leftOut: groupIds.length - customerIds.length }, 'Customer ids with spaces around them left out of the segment: SmartFocus would select other customers');
    }
    const cap = this.config.SMARTFOCUS_CRITERIA_VALUES_CAP;
    const total = Math.ceil(customerIds.length / cap);
    // Criteria of one group are OR-ed: adding a window again after a crash selects the same members.
    // Windows an attempt with another cap added (a deploy changed it) do not line up with these:
    // they are all added again, or the ids between the two would never be.
    const resumeAt = run.dispatch.criteriaValuesCap === cap ? run.dispatch.criteriaDone : 0;
    for (let done = resumeAt; done < total; ) {
      const end = Math.min(total, done + this.config.DISPATCH_CRITERIA_PER_PROGRESS);
      await this.client.segments.addCustomerIdCriteria(segmentId, customerIds.slice(done * cap, end * cap));
      this.crash.reach('after-call', 'add-criteria');
      await this.save(run, { criteriaDone: end, criteriaTotal: total, criteriaValuesCap: cap });
      done = end;
      if (run.stopping() && done < total) return;
    }
    await this.save(run, { progress: 'criteria-added', criteriaDone: total, criteriaTotal: total, criteriaValuesCap: cap, recipients: customerIds.length });
    this.crash.reach('after-save', 'add-criteria');
  }

  private async countSegment(run: Run): Promise<void> {
    const matched = await this.client.segments.count(Number(run.dispatch.smartFocusSegmentId));
    const recipients = run.dispatch.recipients ?? run.dispatch.groupSize;
    const matchedPercent = recipients === 0 ? 100 : (100 * matched) / recipients;
    const stale = matchedPercent < this.config.DISPATCH_MIN_MATCHED_PERCENT;
    this.crash.reach('after-call', 'count-segment');
    if (matched > recipients) {
      // More members than customer ids: the segment would mail someone outside the group (a
      // customer id on several members, or a criterion matching loosely). Never send it.
      await this.save(run, { matchedRecipients: matched });
      throw new PermanentDispatchError(
        'TOO_MANY_MATCHED',
        `SmartFocus's segment selects ${matched} members for the group's ${recipients} customer ids: it would mail members outside the group; nothing is sent`,
      );
    }
    if (stale) {
      this.logger.warn(
        { ...ids(run.dispatch), recipients, matchedRecipients: matched, matchedPercent: Number(matchedPercent.toFixed(2)), minimumPercent: this.config.DISPATCH_MIN_MATCHED_PERCENT, policy: this.config.DISPATCH_STALE_MEMBERS_POLICY },
        'SmartFocus member list looks stale: it knows too few of the group customer ids',
      );
      if (this.config.DISPATCH_STALE_MEMBERS_POLICY === 'fail') {
        await this.save(run, { matchedRecipients: matched, staleMemberList: true });
        throw new PermanentDispatchError(
          'STALE_MEMBER_LIST',
          `SmartFocus knows ${matched} of the group's ${recipients} customer ids (${matchedPercent.toFixed(1)} %, below ${this.config.DISPATCH_MIN_MATCHED_PERCENT} %)`,
        );
      }
    }
    await this.save(run, { progress: 'segment-counted', matchedRecipients: matched, staleMemberList: stale });
    this.crash.reach('after-save', 'count-segment');
  }

  private async createCampaign(run: Run): Promise<void> {
    const { dispatch } = run;
    // The client looks the name up first and never retries the create blindly.
    const created = await this.client.campaigns.create({
      name: smartFocusName(dispatch),
      description: description(dispatch),
      sendDate: dispatch.sendAt ?? dispatch.scheduledAt,
      messageId: Number(dispatch.smartFocusMessageId),
      segmentId: Number(dispatch.smartFocusSegmentId),
    });
    this.crash.reach('after-call', 'create-campaign');
    await this.save(run, { progress: 'campaign-created', smartFocusCampaignId: String(created.id) });
    this.crash.reach('after-save', 'create-campaign');
  }

  private async postCampaign(run: Run): Promise<void> {
    const campaignId = Number(run.dispatch.smartFocusCampaignId);
    try {
      await this.client.campaigns.post(campaignId);
    } catch (error) {
      // An earlier attempt may have posted it and lost the answer: a posted campaign is not EDITABLE.
      if (!(error instanceof SmartFocusValidationError) || (await this.client.campaigns.status(campaignId)) === 'EDITABLE') throw error;
      this.logger.info(ids(run.dispatch), 'SmartFocus campaign was already posted by an earlier attempt');
    }
    this.crash.reach('after-call', 'post-campaign');
    // SmartFocus sends a campaign whose send date has passed at the moment it is posted (a retry
    // the next day, a list completed late) and keeps that as its send date: publish the date it
    // holds, read back after the post, so an attempt that resumes after a lost answer reads the same.
    const { sendDate } = await this.client.campaigns.get(campaignId);
    const now = this.clock.now();
    const saved = await this.dispatches.transaction((manager) => this.outcomes.scheduled(manager, run.dispatch, sendDate, now, run.workerId));
    if (!saved) throw new ClaimLostError('Claim lost before the group was marked scheduled');
    run.dispatch = { ...run.dispatch, state: 'scheduled', progress: 'posted', sendAt: sendDate };
    this.crash.reach('after-save', 'post-campaign');
  }

  /** Saves the step's result under this replica's claim (and extends the claim). */
  private async save(run: Run, update: DispatchUpdate): Promise<void> {
    const now = this.clock.now();
    const claimedUntil = new Date(now.getTime() + this.config.DISPATCH_CLAIM_LEASE_MS);
    const saved = await this.dispatches.update(this.dispatches.manager(), run.dispatch.dispatchId, { ...update, claimedUntil }, now, run.workerId);
    if (!saved) throw new ClaimLostError(`Claim on dispatch ${run.dispatch.dispatchId} lost`);
    run.dispatch = { ...run.dispatch, ...update, claimedUntil };
  }

  private async release(run: Run): Promise<void> {
    await this.dispatches.update(this.dispatches.manager(), run.dispatch.dispatchId, { claimedBy: null, claimedUntil: null }, this.clock.now(), run.workerId);
  }

  private async failed(run: Run, step: DispatchStep, error: unknown): Promise<void> {
    const { dispatch } = run;
    if (error instanceof ClaimLostError) {
      this.logger.warn({ ...ids(dispatch), step }, 'Claim on the group lost; another replica carries on');
      return;
    }
    const failure = classifyFailure(error);
    const now = this.clock.now();
    const budgetSpent = !failure.permanent && dispatch.attempts >= this.config.DISPATCH_MAX_ATTEMPTS;
    if ((failure.permanent || budgetSpent) && step === 'post-campaign' && !(await this.campaignUnposted(dispatch))) {
      // SmartFocus holds the campaign posted (or cannot say): it will be sent, so the group is not
      // reported failed (a failed group is dispatched again by hand); it waits for SmartFocus to answer.
      this.logger.error({ ...ids(dispatch), step, code: failure.code, attempt: dispatch.attempts, error: failure.message }, 'SmartFocus campaign may be posted; the group is not failed and is tried again');
      await this.retryLater(run, step, failure, this.config.DISPATCH_RETRY_MAX_DELAY_MS, now);
      return;
    }
    if (failure.permanent || budgetSpent) {
      const code = budgetSpent ? 'BUDGET_SPENT' : failure.code;
      const message = budgetSpent ? `${dispatch.attempts} attempts spent; last error: ${failure.message}` : failure.message;
      await this.dispatches.transaction((manager) => this.outcomes.fail(manager, dispatch, { step, code, message, smartFocusStatus: failure.smartFocusStatus }, now, run.workerId));
      return;
    }
    const base = Math.min(this.config.DISPATCH_RETRY_MAX_DELAY_MS, this.config.DISPATCH_RETRY_INITIAL_DELAY_MS * 2 ** Math.max(0, dispatch.attempts - 1));
    const delayMs = Math.round(base / 2 + (Math.random() * base) / 2);
    await this.retryLater(run, step, failure, delayMs, now);
    this.logger.warn({ ...ids(dispatch), step, code: failure.code, attempt: dispatch.attempts, retryInMs: delayMs, error: failure.message }, 'Group dispatch step failed; retrying later');
  }

  private async retryLater(run: Run, step: DispatchStep, failure: ClassifiedFailure, delayMs: number, now: Date): Promise<void> {
    await this.dispatches.update(
      this.dispatches.manager(),
      run.dispatch.dispatchId,
      {
        lastError: { step, code: failure.code, message: failure.message, smartFocusStatus: failure.smartFocusStatus, at: now.toISOString() },
        nextAttemptAt: new Date(now.getTime() + delayMs),
        claimedBy: null,
        claimedUntil: null,
      },
      now,
      run.workerId,
    );
  }

  /** True when SmartFocus will not send the group's campaign: it is still EDITABLE (never posted) or does not exist. */
  private async campaignUnposted(dispatch: Dispatch): Promise<boolean> {
    if (dispatch.smartFocusCampaignId === null) return true;
    try {
      return (await this.client.campaigns.status(Number(dispatch.smartFocusCampaignId))) === 'EDITABLE';
    } catch (error) {
      return error instanceof SmartFocusNotFoundError;
    }
  }
}

function description(dispatch: Dispatch): string {
  // Cut at 200 UTF-16 units, which may halve an emoji: a lone surrogate cannot be URL-encoded
  // (campaign/create carries the description in its path), so it becomes U+FFFD.
  return `${dispatch.campaignName} - ${dispatch.groupName} (${dispatch.runDate})`.slice(0, 200).replace(LONE_SURROGATE, '\uFFFD');
}
