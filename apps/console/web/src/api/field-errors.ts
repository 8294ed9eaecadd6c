import { ApiError } from './client';

export type FieldErrors = {
  /** The message for each form field an error names. */
  byField: Record<string, string>;
  /** What names no field of the form: shown above it. */
  other: string[];
};

/**
 * Puts a service's validation errors on the form fields they concern. Nest's ValidationPipe
 * writes "<property path> <problem>" (`controlShare must not be greater than 50`,
 * `variants.1.weight must be ...`); a service may also answer `errors: [{ path, message }]` or a
 * `path` beside the message (the target-group rule tree: `$.all[2].value`), or `problems` (one
 * sentence each). `fields` are the form's field names; a path is matched to the longest field it
 * starts with, else the first field the message names, else the first of `aliases` (words ->
 * field) the message contains.
 */
export function fieldErrors(error: unknown, fields: readonly string[], aliases: Record<string, string> = {}): FieldErrors {
  const result: FieldErrors = { byField: {}, other: [] };
  if (!(error instanceof ApiError)) {
    result.other.push(error instanceof Error ? error.message : String(error));
    return result;
  }
  const sorted = [...fields].sort((a, b) => b.length - a.length);
  const place = (path: string | undefined, message: string): void => {
    const field =
      (path === undefined ? undefined : sorted.find((name) => startsWithField(normalise(path), name))) ??
      sorted.find((name) => new RegExp(`\\b${name}\\b`).test(message)) ??
      Object.entries(aliases).find(([words]) => message.toLowerCase().includes(words))?.[1];
    if (field) result.byField[field] = result.byField[field] ? `${result.byField[field]}; ${message}` : message;
    else result.other.push(message);
  };
  const body = typeof error.body === 'object' && error.body !== null ? (error.body as Record<string, unknown>) : {};
  const listed = Array.isArray(body['errors']) ? (body['errors'] as unknown[]) : [];
  for (const item of listed) {
    if (typeof item !== 'object' || item === null) continue;
    const entry = item as Record<string, unknown>;
    const path = [entry['path'], entry['property'], entry['field']].find((value): value is string => typeof value === 'string');
    const message = typeof entry['message'] === 'string' ? entry['message'] : JSON.stringify(entry);
    place(path, path && !message.includes(path) ? `${message} (${path})` : message);
  }
  if (listed.length > 0) return result;
  // segmentation's campaign checks: `problems`, one sentence each, naming the field in its words.
  if (Array.isArray(body['problems'])) {
    for (const problem of body['problems'] as unknown[]) place(String(problem).split(' ')[0], String(problem));
    return result;
  }
  const bodyPath = typeof body['path'] === 'string' ? body['path'] : typeof body['field'] === 'string' ? body['field'] : undefined;
  for (const message of error.details.length > 0 ? error.details : [error.message]) {
    place(bodyPath ?? message.split(' ')[0], message);
  }
  return result;
}

// `$.rule.all[0]` and `rule.all.0` both become `rule.all.0`.
function normalise(path: string): string {
  return path.replace(/^\$\.?/, '').replace(/\[(\d+)\]/g, '.$1');
}

function startsWithField(path: string, field: string): boolean {
  return path === field || path.startsWith(`${field}.`);
}
