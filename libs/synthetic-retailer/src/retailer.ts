import { dayNumber, dayString, instantDays } from './calendar';
import { BEHAVIOURS, type Behaviour, type CustomerProfile, DEFAULT_BEHAVIOUR_MIX, drawProfile, type ProfileParameters } from './profiles';
import { atTimeOfDay, orderCents, orderMoments, poissonPurchases, type RawPurchase, SeasonTable, type Transaction, toTransaction } from './purchases';
import { combineSeeds, cumulativeWeights, hashString, Random } from './random';

export type RetailerOptions = {
  /** Everything is a pure function of the seed: same seed and options, same bytes. Default `optimove`. */
  readonly seed?: string | number;
  /** Number of customers. */
  readonly customers: number;
  /**
   * The business day of the files (`YYYY-MM-DD`): the history ends at its midnight (UTC), so the
   * last purchases are from the day before. Day files and post-send purchases come after it.
   */
  readonly asOfDate: string;
  /** Length of the purchase history in days. Default 730 (two years). */
  readonly historyDays?: number;
  /** Mean number of history transactions per customer, refunds included. Default 10. */
  readonly transactionsPerCustomer?: number;
  /** Digits of a customer id (zero-padded). Default: the digits of `customers`, plus two, at least 8. */
  readonly idWidth?: number;
  /** Text before the digits of a customer id. Default none (`00000042`). */
  readonly idPrefix?: string;
  /** Currency of every transaction. Default `EUR`. */
  readonly currency?: string;
  /** Share of purchases refunded in full 2 to 30 days later (negative amounts). Default 0.01. */
  readonly refundShare?: number;
  /** Purchases a year of a lapsed or churned customer after the history (a win-back's baseline). Default 1. */
  readonly dormantPurchasesPerYear?: number;
  /** Weights of the behaviour types; missing ones keep their default weight. */
  readonly behaviourMix?: Partial<Record<Behaviour, number>>;
};

/** How a planted effect changes a group's purchases against the customers' baseline. */
export type PlantedEffect = {
  /** Multiplies the purchase rate (1.5 = half as many purchases again). Default 1. */
  readonly purchaseRateFactor?: number;
  /** Multiplies every order value. Default 1. */
  readonly spendFactor?: number;
};

export type PostSendGroup = {
  /** The customers of the group (ids of this retailer). */
  readonly customerIds: Iterable<string>;
  /** The effect of the campaign on them; none for a control group. */
  readonly effect?: PlantedEffect;
};

export type PostSendOptions = {
  readonly groups: readonly PostSendGroup[];
  /** Start of the window (the send time): a Date, an ISO instant, or a `YYYY-MM-DD` day. */
  readonly from: Date | string;
  /** Length of the window in days. */
  readonly days: number;
  /**
   * Makes the transaction ids and the random draws distinct from another call's (e.g. the
   * campaign's name). Default: the window's start day. The ids are `P<salt>-<customerId>-<n>`.
   */
  readonly salt?: string;
};

export type DayTransactionsOptions = {
  /** The day (`YYYY-MM-DD`) of the purchases. */
  readonly date: string;
  /**
   * Exactly this many transactions, drawn over the customers in proportion to their purchase
   * rate (a benchmark's "1 % of the history"). Without it, each customer buys what its own rate
   * gives for that day (about 1/730 of the history's volume a day at the defaults).
   */
  readonly count?: number;
};

const STREAM = { profile: 1, history: 2, day: 3, postSend: 4, member: 5, pick: 6, calibration: 7 } as const;
const CALIBRATION_SAMPLE = 20_000;
/** Rejection sampling cap of the day files' "exactly count" mode, in purchases a year. */
const RATE_CAP = 80;

/**
 * A synthetic retailer: customers, two years of purchases, day files and post-send purchases, all
 * deterministic from the seed and streamed (memory stays bounded whatever the size). Each
 * customer has its own random streams, so any customer's data can be regenerated alone.
 */
export class SyntheticRetailer {
  readonly seed: string | number;
  readonly customerCount: number;
  readonly asOfDate: string;
  /** First day of the history (days since 1970-01-01 UTC). */
  readonly historyStart: number;
  /** End of the history, exclusive: midnight UTC of the as-of date (days since 1970-01-01). */
  readonly historyEnd: number;
  readonly currency: string;
  readonly refundShare: number;
  readonly idWidth: number;
  readonly idPrefix: string;
  /** The factor the purchase rates were scaled by to reach `transactionsPerCustomer`. */
  readonly rateScale: number;
  private readonly seedHash: number;
  private readonly season: SeasonTable;
  private readonly parameters: ProfileParameters;

  constructor(options: RetailerOptions) {
    if (!Number.isInteger(options.customers) || options.customers < 0) throw new Error('customers must be a non-negative integer');
    this.seed = options.seed ?? 'optimove';
    this.seedHash = typeof this.seed === 'string' ? hashString(this.seed) : combineSeeds(this.seed);
    this.customerCount = options.customers;
    this.asOfDate = options.asOfDate;
    this.historyEnd = dayNumber(options.asOfDate);
    this.historyStart = this.historyEnd - (options.historyDays ?? 730);
    this.currency = options.currency ?? 'EUR';
    this.refundShare = options.refundShare ?? 0.01;
    this.idPrefix = options.idPrefix ?? '';
    this.idWidth = options.idWidth ?? Math.max(8, String(options.customers).length + 2);
    if (String(options.customers).length > this.idWidth) throw new Error(`idWidth ${this.idWidth} is too small for ${options.customers} customers`);
    this.season = new SeasonTable(this.historyStart - 4 * 365, (options.historyDays ?? 730) + 6 * 365);
    const mix = { ...DEFAULT_BEHAVIOUR_MIX, ...options.behaviourMix };
    const base = {
      historyStart: this.historyStart,
      historyEnd: this.historyEnd,
      behaviourWeights: cumulativeWeights(BEHAVIOURS.map((behaviour) => mix[behaviour])),
      dormantPurchasesPerYear: options.dormantPurchasesPerYear ?? 1,
    };
    this.rateScale = this.calibrate({ ...base, rateScale: 1 }, options.transactionsPerCustomer ?? 10);
    this.parameters = { ...base, rateScale: this.rateScale };
  }

  /** The id of the customer at `index` (0-based): zero-padded digits of index + 1. */
  customerId(index: number): string {
    return `${this.idPrefix}${String(index + 1).padStart(this.idWidth, '0')}`;
  }

  /** The index of one of this retailer's customer ids; throws for any other text. */
  indexOf(customerId: string): number {
    const digits = customerId.slice(this.idPrefix.length);
    const index = Number(digits) - 1;
    if (!customerId.startsWith(this.idPrefix) || !/^\d+$/.test(digits) || digits.length !== this.idWidth || index < 0 || index >= this.customerCount) {
      throw new Error(`not a customer of this retailer: ${customerId}`);
    }
    return index;
  }

  /** One customer's profile, by index or id. */
  profile(customer: number | string): CustomerProfile {
    const index = typeof customer === 'number' ? customer : this.indexOf(customer);
    return drawProfile(new Random(combineSeeds(this.seedHash, index, STREAM.profile)), index, this.customerId(index), this.parameters);
  }

  /** Every customer's profile, in id order. */
  *profiles(): Generator<CustomerProfile> {
    for (let index = 0; index < this.customerCount; index++) yield this.profile(index);
  }

  /** One customer's history transactions, oldest first. */
  history(customer: number | string | CustomerProfile): Transaction[] {
    const profile = typeof customer === 'object' ? customer : this.profile(customer);
    const random = new Random(combineSeeds(this.seedHash, profile.index, STREAM.history));
    const purchases: RawPurchase[] = [];
    for (const span of profile.spans) {
      if (span.single) {
        purchases.push({ at: atTimeOfDay(random, random.between(span.from, span.to)), cents: orderCents(random, profile.medianOrderCents) });
        continue;
      }
      if (span.opensWithPurchase) purchases.push({ at: this.clamp(atTimeOfDay(random, span.from + random.exponential(1 / 3)), span), cents: orderCents(random, profile.medianOrderCents) });
      poissonPurchases(random, this.season, profile.purchasesPerYear, span.from, span.to, profile.medianOrderCents, purchases);
      if (span.closesWithPurchase) purchases.push({ at: this.clamp(atTimeOfDay(random, span.to - random.exponential(1 / 3)), span), cents: orderCents(random, profile.medianOrderCents) });
    }
    purchases.sort((a, b) => a.at - b.at);
    const rows: Transaction[] = [];
    for (let seq = 0; seq < purchases.length; seq++) {
      const purchase = purchases[seq];
      rows.push(toTransaction(`H${profile.customerId}-${seq + 1}`, profile.customerId, purchase, this.currency));
      if (this.refundShare > 0 && random.chance(this.refundShare)) {
        const at = purchase.at + random.between(2, 30);
        if (at < this.historyEnd) rows.push(toTransaction(`R${profile.customerId}-${seq + 1}`, profile.customerId, { at, cents: -purchase.cents }, this.currency));
      }
    }
    if (rows.length > purchases.length) rows.sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : 0));
    return rows;
  }

  /** The whole history, customer by customer (each customer's oldest first). */
  *transactions(): Generator<Transaction> {
    for (let index = 0; index < this.customerCount; index++) yield* this.history(this.profile(index));
  }

  /** The purchases of one day after the history (a day's transactions file). Ids `D<YYYYMMDD>-<customerId>-<n>`. */
  *dayTransactions(options: DayTransactionsOptions): Generator<Transaction> {
    const day = dayNumber(options.date);
    const compact = options.date.replaceAll('-', '');
    const factor = this.season.factor(day);
    if (options.count === undefined) {
      for (let index = 0; index < this.customerCount; index++) {
        const profile = this.profile(index);
        const random = new Random(combineSeeds(this.seedHash, index, STREAM.day, day));
        const count = random.poisson((profile.futurePurchasesPerYear / 365) * factor);
        for (let n = 1; n <= count; n++) {
          yield toTransaction(`D${compact}-${profile.customerId}-${n}`, profile.customerId, { at: atTimeOfDay(random, day), cents: orderCents(random, profile.medianOrderCents) }, this.currency);
        }
      }
      return;
    }
    if (options.count > 0 && this.customerCount === 0) throw new Error('a retailer without customers has no purchases');
    // Exactly `count` purchases: customers drawn uniformly, kept in proportion to their rate.
    const random = new Random(combineSeeds(this.seedHash, STREAM.day, day, options.count));
    const perCustomer = new Map<number, number>();
    let made = 0;
    while (made < options.count) {
      const index = random.int(this.customerCount);
      const profile = this.profile(index);
      if (random.float() * RATE_CAP >= profile.futurePurchasesPerYear) continue;
      const n = (perCustomer.get(index) ?? 0) + 1;
      perCustomer.set(index, n);
      made += 1;
      yield toTransaction(`D${compact}-${profile.customerId}-${n}`, profile.customerId, { at: atTimeOfDay(random, day), cents: orderCents(random, profile.medianOrderCents) }, this.currency);
    }
  }

  /**
   * The purchases of the given customers over a window after a send, with a planted effect per
   * group: each customer buys at its baseline rate after the history (times the seasonality),
   * multiplied by the group's `purchaseRateFactor`, with order values times `spendFactor`.
   * A customer listed twice is generated once. Ids `P<salt>-<customerId>-<n>`.
   */
  *postSendPurchases(options: PostSendOptions): Generator<Transaction> {
    const from = this.windowStart(options.from);
    const to = from + options.days;
    const salt = options.salt ?? dayString(from).replaceAll('-', '');
    const saltHash = hashString(salt);
    const seen = new Set<number>();
    for (const group of options.groups) {
      const rateFactor = group.effect?.purchaseRateFactor ?? 1;
      const spendFactor = group.effect?.spendFactor ?? 1;
      for (const customerId of group.customerIds) {
        const index = this.indexOf(customerId);
        if (seen.has(index)) continue;
        seen.add(index);
        const profile = this.profile(index);
        const random = new Random(combineSeeds(this.seedHash, index, STREAM.postSend, saltHash));
        const purchases: RawPurchase[] = [];
        poissonPurchases(random, this.season, profile.futurePurchasesPerYear * rateFactor, from, to, profile.medianOrderCents * spendFactor, purchases);
        purchases.sort((a, b) => a.at - b.at);
        for (let n = 0; n < purchases.length; n++) yield toTransaction(`P${salt}-${customerId}-${n + 1}`, customerId, purchases[n], this.currency);
      }
    }
  }

  /**
   * The probability that a customer buys at least once in a window after the history, at its
   * baseline rate times `rateFactor` (for sizing a planted effect).
   */
  purchaseProbability(customer: number | string | CustomerProfile, from: Date | string, days: number, rateFactor = 1): number {
    const profile = typeof customer === 'object' ? customer : this.profile(customer);
    const start = this.windowStart(from);
    return 1 - Math.exp(-(profile.futurePurchasesPerYear * rateFactor * this.season.integral(start, start + days)) / 365);
  }

  /**
   * What `postSendPurchases` gives one customer over a window, in expectation: the probability of
   * buying, and the mean and mean square of its revenue in cents (a compound Poisson sum), with an
   * optional planted effect. Summed over a group, they give the power to find an effect.
   */
  windowExpectation(customer: number | string | CustomerProfile, from: Date | string, days: number, effect: PlantedEffect = {}): { purchaseProbability: number; revenueCents: number; revenueSquareCents: number } {
    const profile = typeof customer === 'object' ? customer : this.profile(customer);
    const start = this.windowStart(from);
    const expectedPurchases = (profile.futurePurchasesPerYear * (effect.purchaseRateFactor ?? 1) * this.season.integral(start, start + days)) / 365;
    const order = orderMoments(profile.medianOrderCents * (effect.spendFactor ?? 1));
    const revenueCents = expectedPurchases * order.mean;
    return { purchaseProbability: 1 - Math.exp(-expectedPurchases), revenueCents, revenueSquareCents: expectedPurchases * order.meanSquare + revenueCents ** 2 };
  }

  /** A deterministic draw in [0, 1) per (customer, purpose): for picking customers reproducibly. */
  uniform(customer: number | string, purpose: string | number): number {
    const index = typeof customer === 'number' ? customer : this.indexOf(customer);
    return new Random(combineSeeds(this.seedHash, index, STREAM.pick, typeof purpose === 'number' ? purpose : hashString(purpose))).float();
  }

  /** A member-address stream of one customer (csv.ts draws names from it). */
  memberRandom(index: number): Random {
    return new Random(combineSeeds(this.seedHash, index, STREAM.member));
  }

  private windowStart(from: Date | string): number {
    return typeof from === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(from) ? dayNumber(from) : instantDays(from);
  }

  private clamp(at: number, span: { from: number; to: number }): number {
    return Math.min(Math.max(at, span.from), span.to - 1e-6);
  }

  /** Finds the rate factor that gives `target` transactions per customer, on a fixed sample of profiles. */
  private calibrate(parameters: ProfileParameters, target: number): number {
    let fixed = 0;
    let variable = 0;
    for (let index = 0; index < CALIBRATION_SAMPLE; index++) {
      const profile = drawProfile(new Random(combineSeeds(this.seedHash, index, STREAM.calibration)), index, '', parameters);
      for (const span of profile.spans) {
        if (span.single) {
          fixed += 1;
          continue;
        }
        fixed += (span.opensWithPurchase ? 1 : 0) + (span.closesWithPurchase ? 1 : 0);
        variable += (profile.purchasesPerYear / 365) * this.season.integral(span.from, span.to);
      }
    }
    const purchasesPerCustomer = target / (1 + this.refundShare);
    const scale = (purchasesPerCustomer * CALIBRATION_SAMPLE - fixed) / variable;
    if (!(scale > 0)) throw new Error(`transactionsPerCustomer ${target} is below what this behaviour mix buys at the least (${(fixed / CALIBRATION_SAMPLE).toFixed(2)})`);
    return scale;
  }
}
