import type { PiiHeaderMatcher } from '../../datasets/pii-columns';
import { normalizeHeader, type DatasetDefinition, type AttributeType, type ValueKind } from '../../datasets/dataset-definitions';

/** One column of the file that is checked and staged. */
export type StagedField = {
  /** Position in the file (0-based). */
  index: number;
  /** Header as written in the file. */
  header: string;
  /** Dataset column or attribute name. */
  target: string;
  kind: ValueKind;
  nullable: boolean;
  isAttribute: boolean;
};

export type HeaderPlan = {
  /** Staged columns, in file order. */
  fields: StagedField[];
  /** Headers dropped as personal data: never read, staged, stored or quoted. */
  droppedColumns: string[];
  /** Headers that are neither dataset columns nor declared attributes: not stored. */
  ignoredColumns: string[];
  /** Headers as written. */
  headers: string[];
  /** Columns in the header (every row must have this many). */
  columnCount: number;
};

/** Thrown when a file cannot be imported at all; the message says why and where. */
export class FileRefusedError extends Error {
  constructor(
    message: string,
    readonly httpStatus: 400 | 413 | 422 = 422,
  ) {
    super(message);
    this.name = 'FileRefusedError';
  }
}

/**
 * Decides, from the header, which columns are loaded, dropped as personal data, or ignored.
 * Refuses the file when a required column is missing or a header appears twice.
 */
export function planHeader(
  headers: readonly string[],
  dataset: DatasetDefinition,
  attributes: ReadonlyMap<string, AttributeType>,
  pii: PiiHeaderMatcher,
): HeaderPlan {
  const seen = new Map<string, number>();
  const fields: StagedField[] = [];
  const droppedColumns: string[] = [];
  const ignoredColumns: string[] = [];
  headers.forEach((header, index) => {
    const name = normalizeHeader(header);
    if (name.length === 0) {
      ignoredColumns.push(`(column ${index + 1}, no header)`);
      return;
    }
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      throw new FileRefusedError(`line 1: column "${header}" appears twice (columns ${earlier + 1} and ${index + 1})`);
    }
    seen.set(name, index);
    const column = dataset.columns.find((candidate) => candidate.name === name);
    // A dataset column is never taken for personal data; every other header is checked first.
    if (column) {
      fields.push({ index, header, target: column.name, kind: column.kind, nullable: column.nullable, isAttribute: false });
    } else if (pii.isPii(header)) {
      droppedColumns.push(header);
    } else if (dataset.takesAttributes && attributes.has(name)) {
      fields.push({ index, header, target: name, kind: attributes.get(name)!, nullable: true, isAttribute: true });
    } else {
      ignoredColumns.push(header);
    }
  });
  const missing = dataset.columns.filter((column) => column.required && !seen.has(column.name)).map((column) => column.name);
  if (missing.length > 0) {
    throw new FileRefusedError(
      `line 1: missing required column${missing.length > 1 ? 's' : ''} ${missing.map((name) => `"${name}"`).join(', ')} for dataset "${dataset.name}" (found: ${headers.map((header) => `"${header}"`).join(', ')})`,
    );
  }
  return { fields, droppedColumns, ignoredColumns, headers: [...headers], columnCount: headers.length };
}
