import { parse } from 'csv-parse/sync';
import { dayNumber } from './calendar';
import { csvText, CUSTOMERS_HEADER, customersCsv, MEMBERS_HEADER, membersCsv, TRANSACTIONS_HEADER, transactionsCsv } from './csv';
import { BEHAVIOURS, type Behaviour } from './profiles';
import type { Transaction } from './purchases';
import { SyntheticRetailer } from './retailer';

const AS_OF = '2026-11-30';
const N = 10_000;

// profile-import's rules for the cells (apps/profile-import/README.md, "The two datasets").
const ID = /^.{1,64}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;
const AMOUNT = /^-?\d{1,12}(\.\d{1,2})?$/;
const LETTERS = (size: number): RegExp => new RegExp(`^[A-Za-z]{${size}}$`);
const BOOLEAN = /^(true|false|1|0|yes|no|t|f|y|n)$/i;
const TIERS = new Set(['', 'bronze', 'silver', 'gold', 'platinum']);

function rows(text: string): string[][] {
  const records: unknown = parse(text, { relaxColumnCount: false, skipEmptyLines: false });
  return records as string[][];
}

function isCalendarInstant(value: string): boolean {
  return INSTANT.test(value) && !Number.isNaN(Date.parse(value)) && new Date(Date.parse(value)).toISOString().slice(0, 10) === value.slice(0, 10);
}

function all(retailer: SyntheticRetailer): Transaction[] {
  return [...retailer.transactions()];
}

describe(SyntheticRetailer.name, () => {
  const retailer = new SyntheticRetailer({ seed: 'spec', customers: N, asOfDate: AS_OF });
  const history = all(retailer);

  describe('determinism', () => {
    it('should produce the same bytes when built twice from the same seed', () => {
      const a = new SyntheticRetailer({ seed: 42, customers: 500, asOfDate: AS_OF });
      const b = new SyntheticRetailer({ seed: 42, customers: 500, asOfDate: AS_OF });
      expect(csvText(customersCsv(a))).toBe(csvText(customersCsv(b)));
      expect(csvText(transactionsCsv(a.transactions()))).toBe(csvText(transactionsCsv(b.transactions())));
      expect(csvText(membersCsv(a))).toBe(csvText(membersCsv(b)));
    });

    it('should produce other data when the seed differs', () => {
      const a = new SyntheticRetailer({ seed: 'one', customers: 200, asOfDate: AS_OF });
      const b = new SyntheticRetailer({ seed: 'two', customers: 200, asOfDate: AS_OF });
      expect(csvText(transactionsCsv(a.transactions()))).not.toBe(csvText(transactionsCsv(b.transactions())));
    });

    it('should keep a customer the same whatever the size of the retailer (random access)', () => {
      const small = new SyntheticRetailer({ seed: 'spec', customers: 100, asOfDate: AS_OF });
      expect(small.history(57)).toEqual(retailer.history(57));
      expect(small.profile('00000058')).toEqual(retailer.profile(57));
      const streamed = history.filter((row) => row.customerId === retailer.customerId(1234));
      expect(retailer.history(1234)).toEqual(streamed);
    });
  });

  describe('customer ids', () => {
    it('should be zero-padded text that maps back to the index when it is one of the retailer', () => {
      expect(retailer.customerId(0)).toBe('00000001');
      expect(retailer.customerId(N - 1)).toBe('00010000');
      expect(retailer.indexOf('00000042')).toBe(41);
      expect(() => retailer.indexOf('42')).toThrow('not a customer');
      expect(() => retailer.indexOf('00010001')).toThrow('not a customer');
      const prefixed = new SyntheticRetailer({ customers: 10, asOfDate: AS_OF, idPrefix: 'C', idWidth: 6 });
      expect(prefixed.customerId(9)).toBe('C000010');
      expect(prefixed.indexOf('C000010')).toBe(9);
    });
  });

  describe('files in profile-import formats', () => {
    it('should write a customers file whose every cell passes the customers rules', () => {
      const [header, ...body] = rows(csvText(customersCsv(retailer)));
      expect(header).toEqual([...CUSTOMERS_HEADER]);
      expect(body).toHaveLength(N);
      expect(new Set(body.map((row) => row[0])).size).toBe(N);
      // Plain checks collected, one expect: an expect per cell costs minutes on 100k cells.
      const country2 = LETTERS(2);
      const bad = body.filter(
        ([customerId, registeredAt, country, tier, newsletter]) =>
          !ID.test(customerId) || !isCalendarInstant(registeredAt) || !(country === '' || country2.test(country)) || !TIERS.has(tier) || !BOOLEAN.test(newsletter),
      );
      expect(bad).toEqual([]);
    });

    it('should write a semicolon-delimited file when asked', () => {
      const text = csvText(customersCsv(new SyntheticRetailer({ customers: 3, asOfDate: AS_OF }), { delimiter: ';' }));
      expect(text.split('\n')[0]).toBe(CUSTOMERS_HEADER.join(';'));
      expect(text.split('\n')[1].split(';')).toHaveLength(CUSTOMERS_HEADER.length);
    });

    it('should write a transactions file whose every cell passes the transactions rules, with unique ids', () => {
      const day = [...retailer.dayTransactions({ date: AS_OF, count: 2_000 })];
      const after = [...retailer.postSendPurchases({ groups: [{ customerIds: ['00000001', '00000002', '00000003'] }], from: AS_OF, days: 30 })];
      const [header, ...body] = rows(csvText(transactionsCsv([...history, ...day, ...after])));
      expect(header).toEqual([...TRANSACTIONS_HEADER]);
      const currency3 = LETTERS(3);
      const bad = body.filter(
        ([transactionId, customerId, occurredAt, amount, currency]) =>
          !ID.test(transactionId) || !ID.test(customerId) || !isCalendarInstant(occurredAt) || !AMOUNT.test(amount) || !currency3.test(currency),
      );
      expect(bad).toEqual([]);
      expect(new Set(body.map((row) => row[0])).size).toBe(body.length);
    });

    it('should keep every history transaction inside the history and every amount equal to its cents', () => {
      const start = Date.parse('2024-11-30T00:00:00Z');
      const end = Date.parse(`${AS_OF}T00:00:00Z`);
      const bad = history.filter((row) => {
        const at = Date.parse(row.occurredAt);
        return !(at >= start && at < end) || Math.round(Number(row.amount) * 100) !== row.amountCents;
      });
      expect(bad).toEqual([]);
    });

    it('should write a members file with a valid address per customer and the textual CUSTOMER_ID', () => {
      const [header, ...body] = rows(csvText(membersCsv(retailer)));
      expect(header).toEqual([...MEMBERS_HEADER]);
      expect(body).toHaveLength(N);
      expect(new Set(body.map((row) => row[0])).size).toBe(N);
      const bad = body.filter(
        ([email, first, last, customerId], index) => !/^[a-z0-9.]+@example\.(com|net|org)$/.test(email) || first === '' || last === '' || customerId !== retailer.customerId(index),
      );
      expect(bad).toEqual([]);
    });

    it('should change the tier of about changedShare of the customers in a later revision of the customers file', () => {
      const first = rows(csvText(customersCsv(retailer)));
      const later = rows(csvText(customersCsv(retailer, { revision: 3, changedShare: 0.05 })));
      const changed = first.filter((row, index) => row.join() !== later[index].join()).length;
      expect(changed / N).toBeGreaterThan(0.04);
      expect(changed / N).toBeLessThan(0.06);
    });
  });

  describe('distribution', () => {
    const byCustomer = new Map<string, Transaction[]>();
    for (const row of history) {
      const list = byCustomer.get(row.customerId) ?? [];
      list.push(row);
      byCustomer.set(row.customerId, list);
    }

    it('should reach the requested mean number of transactions per customer', () => {
      expect(history.length / N).toBeGreaterThan(9.5);
      expect(history.length / N).toBeLessThan(10.5);
      const sparse = new SyntheticRetailer({ seed: 'spec', customers: 5_000, asOfDate: AS_OF, transactionsPerCustomer: 4 });
      expect(all(sparse).length / 5_000).toBeCloseTo(4, 0);
    });

    it('should be zero-inflated: many customers never or once bought, a few bought very often', () => {
      const counts = Array.from({ length: N }, (_, index) => byCustomer.get(retailer.customerId(index))?.length ?? 0);
      const none = counts.filter((count) => count === 0).length / counts.length;
      const once = counts.filter((count) => count === 1).length / counts.length;
      expect(none).toBeGreaterThan(0.08);
      expect(none).toBeLessThan(0.2);
      expect(once).toBeGreaterThan(0.15);
      expect(Math.max(...counts)).toBeGreaterThan(80);
    });

    it('should have right-skewed order values and a heavy tail of spenders', () => {
      const orders = history.filter((row) => row.amountCents > 0).map((row) => row.amountCents).sort((a, b) => a - b);
      const median = orders[Math.floor(orders.length / 2)];
      const mean = orders.reduce((sum, value) => sum + value, 0) / orders.length;
      expect(mean).toBeGreaterThan(median * 1.1);
      expect(orders[Math.floor(orders.length * 0.99)]).toBeGreaterThan(median * 4);
      const spend = [...byCustomer.values()].map((list) => list.reduce((sum, row) => sum + row.amountCents, 0)).sort((a, b) => b - a);
      const total = spend.reduce((sum, value) => sum + value, 0);
      const top = spend.slice(0, N / 10).reduce((sum, value) => sum + value, 0); // top 10 % of all customers
      expect(top / total).toBeGreaterThan(0.45);
      expect(history.some((row) => row.amountCents < 0)).toBe(true); // refunds
    });

    it('should peak in December and at the weekend', () => {
      const perMonth = new Array<number>(12).fill(0);
      const perWeekday = new Array<number>(7).fill(0);
      for (const row of history) {
        const at = new Date(row.occurredAt);
        perMonth[at.getUTCMonth()] += 1;
        perWeekday[at.getUTCDay()] += 1;
      }
      const average = perMonth.reduce((sum, value) => sum + value, 0) / 12;
      expect(perMonth[11]).toBeGreaterThan(average * 1.3);
      expect(Math.max(...perMonth)).toBe(perMonth[11]);
      expect(perMonth[0]).toBeLessThan(average);
      expect(perWeekday[6]).toBeGreaterThan(perWeekday[2] * 1.2); // Saturday against Tuesday
    });

    it('should give every behaviour type, and recencies of every lifecycle stage', () => {
      const seen = new Map<Behaviour, number>();
      const end = dayNumber(AS_OF);
      const recency = { under30: 0, from60to180: 0, from200to365: 0, over365: 0, newcomers: 0, reactivated: 0 };
      for (const profile of retailer.profiles()) {
        seen.set(profile.behaviour, (seen.get(profile.behaviour) ?? 0) + 1);
        const list = byCustomer.get(profile.customerId) ?? [];
        if (list.length === 0) continue;
        const days = list.map((row) => Date.parse(row.occurredAt) / 86_400_000);
        const since = end - days[days.length - 1];
        if (since < 30) recency.under30 += 1;
        else if (since >= 60 && since < 180) recency.from60to180 += 1;
        else if (since >= 200 && since < 365) recency.from200to365 += 1;
        else if (since >= 365) recency.over365 += 1;
        if (end - days[0] < 45) recency.newcomers += 1;
        const gaps = days.slice(1).map((day, index) => day - days[index]);
        if (since < 60 && gaps.some((gap) => gap > 365)) recency.reactivated += 1;
      }
      for (const behaviour of BEHAVIOURS) expect(seen.get(behaviour) ?? 0).toBeGreaterThan(N * 0.02);
      expect(Math.min(...Object.values(recency))).toBeGreaterThan(N / 100);
    });

    it('should fill most RFM cells (recency and frequency quintiles) among buyers', () => {
      const end = dayNumber(AS_OF);
      const buyers = [...byCustomer.values()].map((list) => ({ recency: end - Date.parse(list[list.length - 1].occurredAt) / 86_400_000, frequency: list.length }));
      const rank = (values: number[]) => {
        const sorted = [...values].sort((a, b) => a - b);
        return (value: number): number => {
          let low = 0;
          let high = sorted.length;
          while (low < high) {
            const middle = (low + high) >>> 1;
            if (sorted[middle] < value) low = middle + 1;
            else high = middle;
          }
          return Math.min(4, Math.floor((low / sorted.length) * 5));
        };
      };
      const recencyQuintile = rank(buyers.map((buyer) => buyer.recency));
      const frequencyQuintile = rank(buyers.map((buyer) => buyer.frequency));
      const sampled = buyers.filter((_, index) => index % 10 === 0);
      const cells = new Set(sampled.map((buyer) => `${recencyQuintile(buyer.recency)}:${frequencyQuintile(buyer.frequency)}`));
      expect(cells.size).toBeGreaterThanOrEqual(18);
    });
  });

  describe('day files', () => {
    it('should give exactly count transactions on the day when a count is set', () => {
      const day = [...retailer.dayTransactions({ date: '2026-12-01', count: 1_500 })];
      expect(day).toHaveLength(1_500);
      expect(day.filter((row) => !row.occurredAt.startsWith('2026-12-01T'))).toEqual([]);
      expect(new Set(day.map((row) => row.transactionId)).size).toBe(1_500);
      expect([...retailer.dayTransactions({ date: '2026-12-01', count: 1_500 })]).toEqual(day);
    });

    it('should give about a day of the customers own rates when no count is set', () => {
      const day = [...retailer.dayTransactions({ date: '2026-12-01' })];
      const expected = [...retailer.profiles()].reduce((sum, profile) => sum + profile.futurePurchasesPerYear / 365, 0);
      expect(day.length).toBeGreaterThan(expected * 0.7);
      expect(day.length).toBeLessThan(expected * 2); // December is a busy month
    });
  });

  describe('post-send purchases', () => {
    const ids = Array.from({ length: N }, (_, index) => retailer.customerId(index));
    const control = ids.filter((_, index) => index % 2 === 0);
    const treated = ids.filter((_, index) => index % 2 === 1);
    const from = '2026-12-02T09:00:00Z';

    it('should plant the requested uplift in purchase rate and spend in the treated group only', () => {
      const rows = [...retailer.postSendPurchases({ groups: [{ customerIds: control }, { customerIds: treated, effect: { purchaseRateFactor: 1.5, spendFactor: 1.2 } }], from, days: 14, salt: 'winback' })];
      const inTreated = new Set(treated);
      const treatedRows = rows.filter((row) => inTreated.has(row.customerId));
      const controlRows = rows.filter((row) => !inTreated.has(row.customerId));
      const ratio = treatedRows.length / controlRows.length;
      expect(ratio).toBeGreaterThan(1.3);
      expect(ratio).toBeLessThan(1.7);
      const revenue = (list: Transaction[]): number => list.reduce((sum, row) => sum + row.amountCents, 0);
      expect(revenue(treatedRows) / revenue(controlRows)).toBeGreaterThan(1.5);
      const outside = rows.filter(
        (row) => !row.transactionId.startsWith('Pwinback-') || Date.parse(row.occurredAt) < Date.parse(from) - 1000 || Date.parse(row.occurredAt) >= Date.parse(from) + 14 * 86_400_000,
      );
      expect(outside).toEqual([]);
    });

    it('should give no difference between two groups without an effect, and match purchaseProbability', () => {
      const rows = [...retailer.postSendPurchases({ groups: [{ customerIds: control }, { customerIds: treated }], from, days: 14 })];
      const buyers = new Set(rows.map((row) => row.customerId));
      const rate = (list: string[]): number => list.filter((id) => buyers.has(id)).length / list.length;
      expect(Math.abs(rate(treated) - rate(control))).toBeLessThan(0.02);
      const expected = ids.reduce((sum, id) => sum + retailer.purchaseProbability(id, from, 14), 0) / ids.length;
      expect(Math.abs(buyers.size / ids.length - expected)).toBeLessThan(0.01);
    });

    it('should generate, over a group, the purchases and revenue windowExpectation predicts, effect included', () => {
      const effect = { purchaseRateFactor: 1.5, spendFactor: 1.2 };
      const rows = [...retailer.postSendPurchases({ groups: [{ customerIds: ids, effect }], from, days: 30 })];
      const revenue = new Map<string, number>();
      for (const row of rows) revenue.set(row.customerId, (revenue.get(row.customerId) ?? 0) + row.amountCents);
      const observed = { buyers: revenue.size, cents: [...revenue.values()].reduce((sum, cents) => sum + cents, 0) };
      const expected = ids.map((id) => retailer.windowExpectation(id, from, 30, effect));
      const expectedBuyers = expected.reduce((sum, one) => sum + one.purchaseProbability, 0);
      const expectedCents = expected.reduce((sum, one) => sum + one.revenueCents, 0);
      // The sum of independent customers' revenue: its standard deviation from the mean squares.
      const deviation = Math.sqrt(expected.reduce((sum, one) => sum + one.revenueSquareCents - one.revenueCents ** 2, 0));
      expect(Math.abs(observed.buyers - expectedBuyers)).toBeLessThan(4 * Math.sqrt(expectedBuyers));
      expect(Math.abs(observed.cents - expectedCents)).toBeLessThan(4 * deviation);
      expect(retailer.windowExpectation(ids[0], from, 30).purchaseProbability).toBeCloseTo(retailer.purchaseProbability(ids[0], from, 30), 12);
    });

    it('should be deterministic and generate a customer listed twice once', () => {
      const once = [...retailer.postSendPurchases({ groups: [{ customerIds: ids.slice(0, 300) }], from, days: 30 })];
      const twice = [...retailer.postSendPurchases({ groups: [{ customerIds: ids.slice(0, 300) }, { customerIds: ids.slice(0, 300), effect: { purchaseRateFactor: 3 } }], from, days: 30 })];
      expect(twice).toEqual(once);
      expect(() => [...retailer.postSendPurchases({ groups: [{ customerIds: ['X1'] }], from, days: 1 })]).toThrow('not a customer');
    });
  });
});
