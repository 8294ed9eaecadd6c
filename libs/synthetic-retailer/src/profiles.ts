// Who the retailer's customers are: a behaviour type per customer, drawn from the seed and the
// customer's index alone, and from it the registration, the country, the custom attributes, the
// purchase rate and order size, and the spans of time in which the customer buys.

import { cumulativeWeights, Random } from './random';

/**
 * How a customer buys. The mix is chosen so that every lifecycle stage (prospect, new, active,
 * at_risk, churned, reactivated) and every RFM micro-segment occurs in a customer model built
 * from the files, whatever reasonable day thresholds it uses.
 */
export type Behaviour =
  /** registered, never bought */
  | 'prospect'
  /** bought exactly once, at any time in the history */
  | 'one_time'
  /** buys a couple of times a year, over the whole history */
  | 'occasional'
  /** buys every month or two */
  | 'regular'
  /** buys every couple of weeks, larger baskets: the heavy tail of spend */
  | 'loyal'
  /** used to buy regularly, stopped 2 to 7 months before the as-of date */
  | 'lapsing'
  /** used to buy, stopped 7 to 20 months before the as-of date */
  | 'churned'
  /** registered in the last 45 days and already bought */
  | 'new'
  /** bought, then nothing for more than a year, then bought again in the last 60 days */
  | 'reactivated';

export const BEHAVIOURS: readonly Behaviour[] = ['prospect', 'one_time', 'occasional', 'regular', 'loyal', 'lapsing', 'churned', 'new', 'reactivated'];

/** Default shares of the behaviours (they need not sum to 1: they are weights). */
export const DEFAULT_BEHAVIOUR_MIX: Readonly<Record<Behaviour, number>> = {
  prospect: 0.12,
  one_time: 0.2,
  occasional: 0.23,
  regular: 0.15,
  loyal: 0.05,
  lapsing: 0.08,
  churned: 0.1,
  new: 0.04,
  reactivated: 0.03,
};

/** A span of days (fractional, since 1970-01-01 UTC) in which a customer buys. */
export type PurchaseSpan = {
  readonly from: number;
  readonly to: number;
  /** A purchase shortly after `from` whatever the random process says (a first order). */
  readonly opensWithPurchase: boolean;
  /** A purchase shortly before `to` (the last order before the customer stopped). */
  readonly closesWithPurchase: boolean;
  /** Exactly one purchase, uniformly in the span (one-time buyers). */
  readonly single: boolean;
};

export type LoyaltyTier = 'bronze' | 'silver' | 'gold' | 'platinum';

/** Everything the generator knows about one customer; a pure function of (seed, index). */
export type CustomerProfile = {
  /** 0-based position of the customer in the retailer. */
  readonly index: number;
  /** Textual id with leading zeros (never parse it as a number outside this lib). */
  readonly customerId: string;
  readonly behaviour: Behaviour;
  /** Registration instant, fractional days since 1970-01-01 UTC. */
  readonly registeredAt: number;
  /** ISO 3166 alpha-2, or '' (the cell may be empty). */
  readonly country: string;
  /** The `loyalty_tier` custom attribute, or '' (no tier). */
  readonly loyaltyTier: LoyaltyTier | '';
  /** The `newsletter` custom attribute. */
  readonly newsletter: boolean;
  /** Purchases per year inside the spans (the yearly mean; seasonality modulates it). */
  readonly purchasesPerYear: number;
  /** Purchases per year after the history ends: the baseline of day files and post-send purchases. */
  readonly futurePurchasesPerYear: number;
  /** Median order value in cents (orders are lognormal around it). */
  readonly medianOrderCents: number;
  /** When the customer bought during the history. */
  readonly spans: readonly PurchaseSpan[];
};

/** Countries of a European retailer with their weights. */
const COUNTRIES = ['DE', 'FR', 'GB', 'NL', 'ES', 'IT', 'AT', 'PL', 'BE', 'CH', 'SE', 'DK'];
const COUNTRY_WEIGHTS = cumulativeWeights([30, 15, 14, 8, 8, 8, 5, 4, 3, 2.5, 1.5, 1]);

export type ProfileParameters = {
  readonly historyStart: number;
  readonly historyEnd: number;
  readonly behaviourWeights: readonly number[];
  /** Multiplies every purchase rate: calibrates the mean number of transactions per customer. */
  readonly rateScale: number;
  readonly dormantPurchasesPerYear: number;
};

/** Draws the profile of one customer from its own random stream. */
export function drawProfile(random: Random, index: number, customerId: string, parameters: ProfileParameters): CustomerProfile {
  const { historyStart: start, historyEnd: end, rateScale } = parameters;
  const behaviour = BEHAVIOURS[random.pick(parameters.behaviourWeights)];
  const country = random.chance(0.005) ? '' : COUNTRIES[random.pick(COUNTRY_WEIGHTS)];
  const newsletter = random.chance(0.62);
  let medianOrderCents = Math.round(random.lognormal(4_500, 0.45));
  const spans: PurchaseSpan[] = [];
  const span = (from: number, to: number, options: Partial<PurchaseSpan> = {}): void => {
    if (to > from) spans.push({ from, to, opensWithPurchase: false, closesWithPurchase: false, single: false, ...options });
  };
  // Registered up to three years before the history starts, or during it.
  const anyRegistration = (latest: number): number => random.between(start - 3 * 365, latest);
  let registeredAt: number;
  let purchasesPerYear = 0;
  // Purchases a year once the history ends: the rate of those still buying, a trickle for the others.
  let futurePurchasesPerYear = parameters.dormantPurchasesPerYear;
  let buyingAtEnd = false;

  switch (behaviour) {
    case 'prospect':
      registeredAt = random.between(start - 365, end);
      futurePurchasesPerYear = 0.3;
      break;
    case 'one_time':
      registeredAt = anyRegistration(end - 30);
      span(Math.max(registeredAt, start), end, { single: true });
      futurePurchasesPerYear = 0.4;
      break;
    case 'occasional':
      purchasesPerYear = random.lognormal(2, 0.5);
      registeredAt = anyRegistration(end - 90);
      span(Math.max(registeredAt, start), end, { opensWithPurchase: registeredAt > start });
      buyingAtEnd = true;
      break;
    case 'regular':
      purchasesPerYear = random.lognormal(8, 0.4);
      registeredAt = anyRegistration(end - 120);
      span(Math.max(registeredAt, start), end, { opensWithPurchase: registeredAt > start });
      buyingAtEnd = true;
      break;
    case 'loyal':
      purchasesPerYear = random.lognormal(26, 0.4);
      medianOrderCents = Math.round(medianOrderCents * 1.5);
      registeredAt = anyRegistration(end - 180);
      span(Math.max(registeredAt, start), end, { opensWithPurchase: registeredAt > start });
      buyingAtEnd = true;
      break;
    case 'lapsing': {
      purchasesPerYear = random.lognormal(7, 0.4);
      const stop = end - random.between(60, 200);
      registeredAt = anyRegistration(stop - 120);
      span(Math.max(registeredAt, start), stop, { opensWithPurchase: registeredAt > start, closesWithPurchase: true });
      break;
    }
    case 'churned': {
      purchasesPerYear = random.lognormal(4, 0.5);
      const stop = end - random.between(200, 600);
      registeredAt = anyRegistration(stop - 90);
      span(Math.max(registeredAt, start), stop, { opensWithPurchase: registeredAt > start, closesWithPurchase: true });
      futurePurchasesPerYear = parameters.dormantPurchasesPerYear / 2;
      break;
    }
    case 'new':
      purchasesPerYear = random.lognormal(6, 0.4);
      registeredAt = end - random.between(1, 45);
      span(registeredAt, end, { opensWithPurchase: true });
      buyingAtEnd = true;
      break;
    case 'reactivated': {
      purchasesPerYear = random.lognormal(5, 0.4);
      const pause = end - random.between(450, 680);
      const resume = end - random.between(3, 60);
      registeredAt = anyRegistration(pause - 90);
      span(Math.max(registeredAt, start), pause, { opensWithPurchase: true, closesWithPurchase: true });
      span(resume, end, { opensWithPurchase: true });
      buyingAtEnd = true;
      break;
    }
  }

  purchasesPerYear *= rateScale;
  if (buyingAtEnd) futurePurchasesPerYear = purchasesPerYear;
  const loyaltyTier = drawTier(random, behaviour);
  return { index, customerId, behaviour, registeredAt, country, loyaltyTier, newsletter, purchasesPerYear, futurePurchasesPerYear, medianOrderCents, spans };
}

function drawTier(random: Random, behaviour: Behaviour): LoyaltyTier | '' {
  const draw = random.float();
  switch (behaviour) {
    case 'loyal':
      return draw < 0.45 ? 'platinum' : 'gold';
    case 'regular':
    case 'reactivated':
      return draw < 0.3 ? 'gold' : draw < 0.8 ? 'silver' : 'bronze';
    case 'prospect':
      return draw < 0.7 ? '' : 'bronze';
    case 'one_time':
    case 'occasional':
    case 'lapsing':
    case 'churned':
    case 'new':
      return draw < 0.1 ? '' : draw < 0.7 ? 'bronze' : 'silver';
  }
}
