import { addDays, daysBetween } from '../src/shared/days';
import type { CustomerFacts } from '../src/customer-model/lifecycle';

/** A purchase (positive) or refund (negative), amount in cents. */
export type Tx = { id: string; customerId: string; day: string; hour: number; cents: number };

/** A small deterministic PRNG (mulberry32), so test data is the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function customersCsv(rows: { id: string; registeredAt?: string; country?: string }[]): string {
  return `customer_id,registered_at,country\n${rows.map((row) => `${row.id},${row.registeredAt ?? '2024-01-01'},${row.country ?? ''}`).join('\n')}\n`;
}

export function transactionsCsv(transactions: Tx[]): string {
  const lines = transactions.map(
    (tx) => `${tx.id},${tx.customerId},${tx.day}T${String(tx.hour).padStart(2, '0')}:15:00Z,${(tx.cents / 100).toFixed(2)},EUR`,
  );
  return `transaction_id,customer_id,occurred_at,amount,currency\n${lines.join('\n')}\n`;
}

/** Random transactions of `customers` between two days (some refunds). */
export function randomTransactions(random: () => number, customers: string[], from: string, to: string, perCustomer: number, prefix: string): Tx[] {
  const span = daysBetween(from, to);
  const transactions: Tx[] = [];
  for (const customerId of customers) {
    const count = Math.floor(random() * perCustomer);
    for (let i = 0; i < count; i++) {
      const refund = random() < 0.1;
      transactions.push({
        id: `${prefix}-${transactions.length}`,
        customerId,
        day: addDays(from, Math.floor(random() * (span + 1))),
        hour: Math.floor(random() * 24),
        cents: refund ? -Math.floor(random() * 3_000) - 1 : Math.floor(random() * 60_000) + 1,
      });
    }
  }
  return transactions;
}

/** What the model should say about one customer as of `day`, computed in TypeScript from the raw transactions. */
export function expectedFacts(transactions: Tx[], day: string, settings: { rfmWindowDays: number; churnDays: number; reactivatedDays: number }): CustomerFacts & {
  orders: Record<string, number>;
  spendCents: Record<string, number>;
} {
  const upTo = transactions.filter((tx) => tx.day <= day);
  const purchaseDays = [...new Set(upTo.filter((tx) => tx.cents > 0).map((tx) => tx.day))].sort();
  const inWindow = (tx: Tx, days: number): boolean => daysBetween(tx.day, day) < days;
  const windows: Record<string, number> = { '30d': 30, '90d': 90, '365d': 365, rfm: settings.rfmWindowDays, lifetime: 1e9 };
  const orders: Record<string, number> = {};
  const spendCents: Record<string, number> = {};
  for (const [name, days] of Object.entries(windows)) {
    orders[name] = upTo.filter((tx) => tx.cents > 0 && inWindow(tx, days)).length;
    spendCents[name] = upTo.filter((tx) => inWindow(tx, days)).reduce((sum, tx) => sum + tx.cents, 0);
  }
  let reactivatedOn: string | null = null;
  for (let i = 1; i < purchaseDays.length; i++) {
    if (daysBetween(purchaseDays[i - 1], purchaseDays[i]) > settings.churnDays && daysBetween(purchaseDays[i], day) <= settings.reactivatedDays) {
      reactivatedOn = purchaseDays[i];
    }
  }
  return {
    firstPurchaseOn: purchaseDays[0] ?? null,
    lastPurchaseOn: purchaseDays.at(-1) ?? null,
    reactivatedOn,
    ordersRfm: orders['rfm'],
    spendRfm: spendCents['rfm'] / 100,
    orders,
    spendCents,
  };
}
