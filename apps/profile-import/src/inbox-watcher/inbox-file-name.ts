import { datasetDefinition } from '../datasets/dataset-definitions';

export type InboxFile =
  | { kind: 'import'; dataset: string; asOfDate: string }
  | { kind: 'unknown-dataset'; dataset: string }
  | { kind: 'not-an-import' };

/**
 * Reads `<dataset>_<YYYYMMDD>*.csv[.gz]`. Other names (temporary files of a transfer still under
 * way, notes) are not imports and stay where they are.
 */
export function parseInboxFileName(name: string): InboxFile {
  const match = /^([a-z]+)_(\d{4})(\d{2})(\d{2})[^/\\]*\.csv(\.gz)?$/i.exec(name);
  if (!match) return { kind: 'not-an-import' };
  const dataset = match[1].toLowerCase();
  if (!datasetDefinition(dataset)) return { kind: 'unknown-dataset', dataset };
  const asOfDate = `${match[2]}-${match[3]}-${match[4]}`;
  const date = new Date(`${asOfDate}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || !date.toISOString().startsWith(asOfDate)) return { kind: 'not-an-import' };
  return { kind: 'import', dataset, asOfDate };
}
