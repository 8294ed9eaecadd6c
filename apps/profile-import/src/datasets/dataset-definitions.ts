import type { ProfileDataset } from '@optimove/contracts';
import { CustomersUpsert } from './customers-upsert';
import type { DatasetApply } from './dataset-apply';
import { TransactionsInsert } from './transactions-insert';

/** What a cell must hold; each kind has a byte-level check (value-checks.ts) and a SQL cast. */
export type ValueKind = 'id' | 'timestamp' | 'amount' | 'country' | 'currency' | AttributeType;

/** The types a client may declare for a custom attribute in the catalogue. */
export const ATTRIBUTE_TYPES = ['text', 'number', 'date', 'boolean'] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

export type DatasetColumn = {
  /** Header name in the file (matched case-insensitively, spaces and hyphens read as `_`). */
  name: string;
  kind: ValueKind;
  /** The header must be present, or the whole file is refused. */
  required: boolean;
  /** The cell may be empty (stored as NULL). */
  nullable: boolean;
};

export type DatasetDefinition = {
  name: ProfileDataset;
  /** The column that identifies a row; a second row with the same value in one file is rejected. */
  key: string;
  columns: readonly DatasetColumn[];
  /** Extra columns declared in the attribute catalogue are loaded as custom attributes. */
  takesAttributes: boolean;
  /** How the staged rows reach the profiles table. */
  apply: DatasetApply;
};

export const DATASETS: Record<ProfileDataset, DatasetDefinition> = {
  customers: {
    name: 'customers',
    key: 'customer_id',
    takesAttributes: true,
    apply: new CustomersUpsert(),
    columns: [
      { name: 'customer_id', kind: 'id', required: true, nullable: false },
      { name: 'registered_at', kind: 'timestamp', required: true, nullable: true },
      { name: 'country', kind: 'country', required: true, nullable: true },
    ],
  },
  transactions: {
    name: 'transactions',
    key: 'transaction_id',
    takesAttributes: false,
    apply: new TransactionsInsert(),
    columns: [
      { name: 'transaction_id', kind: 'id', required: true, nullable: false },
      { name: 'customer_id', kind: 'id', required: true, nullable: false },
      { name: 'occurred_at', kind: 'timestamp', required: true, nullable: false },
      { name: 'amount', kind: 'amount', required: true, nullable: false },
      { name: 'currency', kind: 'currency', required: false, nullable: true },
    ],
  },
};

export function datasetDefinition(name: string): DatasetDefinition | undefined {
  return Object.prototype.hasOwnProperty.call(DATASETS, name) ? DATASETS[name as ProfileDataset] : undefined;
}

/** How a header is compared with column and attribute names. */
export function normalizeHeader(header: string): string {
  return header.trim().toLowerCase().replace(/[\s-]+/g, '_');
}
