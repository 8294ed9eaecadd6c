import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { CLOUD_EVENTS_SPEC_VERSION, type CloudEvent } from './cloud-event';
import { EVENT_PAYLOADS, type EventPayload } from './event-payloads';
import { isRoutingKey, type RoutingKey } from './routing-keys';

export type EventValidationResult =
  | { valid: true; event: CloudEvent<RoutingKey, EventPayload<RoutingKey>> }
  | { valid: false; errors: string[] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * How deep objects and arrays may nest in `data`. The payloads go three levels deep
 * (`data.group.kind`, `data.customerIds[0]`); class-transformer and class-validator recurse once
 * per level, so a document nested a few thousand levels deep (some 18 KB) would exhaust the stack.
 */
export const MAX_DATA_DEPTH = 32;

/**
 * Checks a parsed message body against the CloudEvents envelope and the payload class of its
 * `type`. Returns the event with `data` as an instance of that class, or every reason it is not
 * valid (paths like `data.group.kind`), never throwing.
 */
export function validateEvent(body: unknown): EventValidationResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { valid: false, errors: ['body: must be a JSON object (a CloudEvents document)'] };
  }
  const doc = body as Record<string, unknown>;
  const errors: string[] = [];
  if (doc['specversion'] !== CLOUD_EVENTS_SPEC_VERSION) errors.push(`specversion: must be "${CLOUD_EVENTS_SPEC_VERSION}"`);
  if (typeof doc['id'] !== 'string' || !UUID.test(doc['id'])) errors.push('id: must be a UUID');
  if (!isRoutingKey(doc['type'])) errors.push(`type: unknown event type ${JSON.stringify(doc['type'])}`);
  if (typeof doc['source'] !== 'string' || doc['source'].length === 0) errors.push('source: must be a non-empty string');
  if (typeof doc['time'] !== 'string' || Number.isNaN(Date.parse(doc['time']))) errors.push('time: must be an RFC 3339 timestamp');
  if (doc['datacontenttype'] !== undefined && doc['datacontenttype'] !== 'application/json') {
    errors.push('datacontenttype: must be "application/json"');
  }
  const data = doc['data'];
  if (typeof data !== 'object' || data === null || Array.isArray(data)) errors.push('data: must be a JSON object');
  if (errors.length > 0) return { valid: false, errors };

  if (nestedDeeperThan(data, MAX_DATA_DEPTH)) return { valid: false, errors: [`data: objects and arrays nested deeper than ${MAX_DATA_DEPTH} levels`] };

  const type = doc['type'] as RoutingKey;
  let payload: object;
  let payloadErrors: ValidationError[];
  try {
    payload = plainToInstance(EVENT_PAYLOADS[type] as new () => object, data);
    payloadErrors = validateSync(payload, { whitelist: true, forbidNonWhitelisted: true });
  } catch (error) {
    // Whatever the libraries cannot take is a payload that cannot be validated, not a crash.
    return { valid: false, errors: [`data: could not be validated (${error instanceof Error ? `${error.name}: ${error.message}` : String(error)})`] };
  }
  if (payloadErrors.length > 0) return { valid: false, errors: flatten(payloadErrors, 'data') };

  return {
    valid: true,
    event: {
      specversion: CLOUD_EVENTS_SPEC_VERSION,
      id: doc['id'] as string,
      type,
      source: doc['source'] as string,
      time: doc['time'] as string,
      datacontenttype: 'application/json',
      ...(typeof doc['subject'] === 'string' ? { subject: doc['subject'] } : {}),
      data: payload as EventPayload<RoutingKey>,
    },
  };
}

function flatten(errors: ValidationError[], prefix: string): string[] {
  return errors.flatMap((error) => {
    const path = `${prefix}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((reason) => `${path}: ${reason}`);
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

/** Whether objects or arrays nest more than `limit` levels below `value`; iterative, so any depth is safe. */
function nestedDeeperThan(value: unknown, limit: number): boolean {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (next.depth > limit) return true;
    if (typeof next.value !== 'object' || next.value === null) continue;
    for (const child of Object.values(next.value)) if (typeof child === 'object' && child !== null) pending.push({ value: child, depth: next.depth + 1 });
  }
  return false;
}
