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
  /** Headers dropped as personal data: never read, staged, stored or quoted (labels: see columnLabel). */
  droppedColumns: string[];
  /** Headers that are neither dataset columns nor declared attributes: not stored (labels: see columnLabel). */
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
    /** `too-large`: over a size cap; `invalid`: anything else about the file. */
    readonly reason: 'invalid' | 'too-large' = 'invalid',
  ) {
    super(message);
    this.name = 'FileRefusedError';
  }
}

// A header shown in a report or message: a plain column name (letters, digits, `_` or `-`
// between words, no spaces) is; anything else may be data (a headerless file, a name or an
// address typed into the header line) and is shown by position only.
const PLAIN_HEADER = /^[A-Za-z][A-Za-z0-9]*(?:[_-][A-Za-z0-9]+)*$/;
// A header that matched the personal-data deny list names such a column: spaces allowed.
const PLAIN_PII_HEADER = /^[A-Za-z][A-Za-z0-9]*(?:[ _-]+[A-Za-z0-9]+)*$/;

function headerLabel(header: string, index: number, pattern: RegExp): string {
  return header.length <= 64 && pattern.test(header) && !/\d{5}/.test(header) ? header : `(column ${index + 1})`;
}

/** How a column is named in a rejection or message: its header when it is a plain column name, else `(column N)`. */
export function columnLabel(plan: HeaderPlan, index: number): string {
  const field = plan.fields.find((candidate) => candidate.index === index);
  return field ? field.header : headerLabel(plan.headers[index] ?? '', index, PLAIN_HEADER);
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
      const label = headerLabel(header, index, PLAIN_HEADER);
      throw new FileRefusedError(`line 1: column ${label.startsWith('(') ? label : `"${label}"`} appears twice (columns ${earlier + 1} and ${index + 1})`);
    }
    seen.set(name, index);
    const column = dataset.columns.find((candidate) => candidate.name === name);
    // A dataset column is never taken for personal data; every other header is checked first.
    if (column) {
      fields.push({ index, header, target: column.name, kind: column.kind, nullable: column.nullable, isAttribute: false });
    } else if (pii.isPii(header)) {
      droppedColumns.push(headerLabel(header, index, PLAIN_PII_HEADER));
    } else if (dataset.takesAttributes && attributes.has(name)) {
      fields.push({ index, header, target: name, kind: attributes.get(name)!, nullable: true, isAttribute: true });
    } else {
      ignoredColumns.push(headerLabel(header, index, PLAIN_HEADER));
    }
  });
  const missing = dataset.columns.filter((column) => column.required && !seen.has(column.name)).map((column) => column.name);
  if (missing.length > 0) {
    throw new FileRefusedError(
      // The headers found are not quoted back: in a file without a header line they are data.
      `line 1: missing required column${missing.length > 1 ? 's' : ''} ${missing.map((name) => `"${name}"`).join(', ')} for dataset "${dataset.name}" (the first line has ${headers.length} column${headers.length === 1 ? '' : 's'}${fields.length > 0 ? `, of them ${fields.map((field) => `"${field.target}"`).join(', ')}` : ''}; is the header line missing?)`,
    );
  }
  return { fields, droppedColumns, ignoredColumns, headers: [...headers], columnCount: headers.length };
}
