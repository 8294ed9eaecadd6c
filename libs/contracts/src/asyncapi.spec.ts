import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { parse } from 'yaml';
import { EVENT_PAYLOADS } from './event-payloads';
import { ROUTING_KEYS } from './routing-keys';

// docs/asyncapi.yaml must say exactly what the payload classes enforce, field by field and in
// depth: type, required or optional, every constraint (format, pattern, enum, lengths, bounds,
// array size and item rules) and nested objects, which are closed like the top level because the
// consumers validate with `forbidNonWhitelisted`. Both sides are reduced to one shape and compared:
// any drift, in either direction, fails with the path of the field.

/** The subset of JSON Schema the contract uses. */
type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  pattern?: string;
  enum?: unknown[];
  const?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean;
  allOf?: Schema[];
  description?: string;
};

type AsyncApi = {
  channels: Record<string, { publish: { message: { $ref: string } } }>;
  components: { schemas: Record<string, Schema>; messages: Record<string, { payload: Schema }> };
};

/** What a field is, reduced to what both sides can say. */
type Shape = {
  type?: string;
  required?: boolean;
  format?: string;
  pattern?: string;
  enum?: unknown[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: Shape;
  properties?: Record<string, Shape>;
  closed?: boolean;
};

const document = parse(readFileSync(join(__dirname, '../../../docs/asyncapi.yaml'), 'utf8')) as AsyncApi;

// ---- the document side --------------------------------------------------------------------

function resolve(schema: Schema): Schema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.split('/').pop()!;
  const target = document.components.schemas[name];
  if (!target) throw new Error(`unresolved $ref ${schema.$ref}`);
  const { $ref: _ref, description: _description, ...siblings } = schema;
  if (Object.keys(siblings).length > 0) throw new Error(`${schema.$ref}: keywords beside a $ref are ignored by JSON Schema validators (${Object.keys(siblings).join(', ')})`);
  return resolve(target);
}

function documentShape(raw: Schema, required: boolean | undefined): Shape {
  const schema = resolve(raw);
  const shape: Shape = {};
  if (required !== undefined) shape.required = required;
  const type = schema.type ?? (schema.enum?.every((value) => typeof value === 'string') ? 'string' : undefined);
  if (type) shape.type = type;
  for (const key of ['format', 'pattern', 'enum', 'minLength', 'maxLength', 'minimum', 'maximum', 'minItems', 'maxItems'] as const) {
    if (schema[key] !== undefined) (shape as Record<string, unknown>)[key] = schema[key];
  }
  if (schema.items) shape.items = documentShape(schema.items, undefined);
  if (schema.properties) {
    shape.properties = Object.fromEntries(Object.entries(schema.properties).map(([name, field]) => [name, documentShape(field, (schema.required ?? []).includes(name))]));
    shape.closed = schema.additionalProperties === false;
  }
  return shape;
}

function dataSchema(key: string): Schema {
  const messageName = document.channels[key].publish.message.$ref.split('/').pop()!;
  const payload = document.components.messages[messageName].payload;
  return payload.allOf!.find((part) => part.properties?.['data'])!.properties!['data'];
}

// ---- the class side -----------------------------------------------------------------------

const CONDITIONAL = ValidationTypes.CONDITIONAL_VALIDATION;
const NESTED = ValidationTypes.NESTED_VALIDATION;

/** Applies one class-validator rule to a shape; an unknown rule fails the test so it gets mapped. */
function applyRule(shape: Shape, rule: ValidationMetadata, where: string): void {
  const [first] = (rule.constraints ?? []) as unknown[];
  switch (rule.name ?? '') {
    case 'isUuid':
      Object.assign(shape, { type: 'string', format: 'uuid' });
      return;
    case 'isString':
      shape.type = 'string';
      return;
    case 'isNotEmpty':
      shape.minLength = 1;
      return;
    case 'isInt':
      shape.type = 'integer';
      return;
    case 'isNumber':
      shape.type = 'number';
      return;
    case 'isBoolean':
      shape.type = 'boolean';
      return;
    case 'isIn':
      Object.assign(shape, { type: 'string', enum: [...(first as unknown[])] });
      return;
    case 'matches':
      Object.assign(shape, { type: 'string', pattern: (first as RegExp).source });
      return;
    case 'isIso8601':
    case 'isRFC3339': // with its offset, as JSON Schema's date-time
      Object.assign(shape, { type: 'string', format: 'date-time' });
      return;
    case 'isDateString':
      Object.assign(shape, { type: 'string', format: 'date' });
      return;
    case 'min':
      shape.minimum = first as number;
      return;
    case 'max':
      shape.maximum = first as number;
      return;
    case 'minLength':
      shape.minLength = first as number;
      return;
    case 'maxLength':
      shape.maxLength = first as number;
      return;
    case 'isArray':
      shape.type = 'array';
      return;
    case 'arrayMinSize':
      shape.minItems = first as number;
      return;
    case 'arrayMaxSize':
      shape.maxItems = first as number;
      return;
    default:
      throw new Error(`${where}: no AsyncAPI mapping for the class-validator rule "${rule.name}"; add one to asyncapi.spec.ts`);
  }
}

function classShape(target: new () => object, where: string): Shape {
  const rules = getMetadataStorage().getTargetValidationMetadatas(target, '', true, false);
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const rule of rules) byProperty.set(rule.propertyName, [...(byProperty.get(rule.propertyName) ?? []), rule]);
  const properties: Record<string, Shape> = {};
  for (const [name, propertyRules] of byProperty) {
    const path = `${where}.${name}`;
    const shape: Shape = { required: true };
    const itemRules: ValidationMetadata[] = [];
    for (const rule of propertyRules) {
      if (rule.type === CONDITIONAL) {
        // @IsOptional, or @ValidateIf (required only in some cases: not in `required`).
        shape.required = false;
      } else if (rule.type === NESTED) {
        const nested = Reflect.getMetadata('design:type', target.prototype as object, name) as new () => object;
        Object.assign(shape, classShape(nested, path), { required: shape.required });
      } else if (rule.each) {
        itemRules.push(rule);
      } else {
        applyRule(shape, rule, path);
      }
    }
    if (itemRules.length > 0) {
      const items: Shape = {};
      for (const rule of itemRules) applyRule(items, rule, `${path}[]`);
      shape.items = items;
    }
    properties[name] = shape;
  }
  return { type: 'object', properties, closed: true };
}

// ---- the comparison -----------------------------------------------------------------------

/** Every difference between two shapes, as `path: document says X, the class Y`. */
function differences(documented: Shape, enforced: Shape, path: string): string[] {
  const found: string[] = [];
  const keys = new Set([...Object.keys(documented), ...Object.keys(enforced)]);
  for (const key of keys) {
    if (key === 'properties' || key === 'items') continue;
    const a = JSON.stringify((documented as Record<string, unknown>)[key]);
    const b = JSON.stringify((enforced as Record<string, unknown>)[key]);
    if (a !== b) found.push(`${path}: ${key} is ${a ?? 'absent'} in docs/asyncapi.yaml but ${b ?? 'absent'} in the class`);
  }
  if (documented.items || enforced.items) {
    if (!documented.items || !enforced.items) found.push(`${path}: items ${documented.items ? 'only in the document' : 'only in the class'}`);
    else found.push(...differences(documented.items, enforced.items, `${path}[]`));
  }
  const names = new Set([...Object.keys(documented.properties ?? {}), ...Object.keys(enforced.properties ?? {})]);
  for (const name of names) {
    const a = documented.properties?.[name];
    const b = enforced.properties?.[name];
    if (!a) found.push(`${path}.${name}: in the class, missing from docs/asyncapi.yaml`);
    else if (!b) found.push(`${path}.${name}: in docs/asyncapi.yaml, not in the class`);
    else found.push(...differences(a, b, `${path}.${name}`));
  }
  return found;
}

describe('docs/asyncapi.yaml', () => {
  it('should document exactly the routing keys of the contracts', () => {
    expect(Object.keys(document.channels).sort()).toEqual([...ROUTING_KEYS].sort());
  });

  it.each(ROUTING_KEYS)('should document the %s payload exactly as its class validates it, nested objects included', (key) => {
    const documented = documentShape(dataSchema(key), undefined);
    const enforced = classShape(EVENT_PAYLOADS[key], 'data');

    expect(differences(documented, enforced, 'data')).toEqual([]);
  });

  it('should find a drift in any direction (the comparison itself)', () => {
    const enforced: Shape = { type: 'object', closed: true, properties: { a: { type: 'integer', required: true, minimum: 0 }, b: { type: 'string', required: false } } };
    const drifted: Shape = { type: 'object', closed: false, properties: { a: { type: 'number', required: false, minimum: 1 }, c: { type: 'string', required: false } } };

    expect(differences(drifted, enforced, 'data')).toEqual([
      'data: closed is false in docs/asyncapi.yaml but true in the class',
      'data.a: type is "number" in docs/asyncapi.yaml but "integer" in the class',
      'data.a: required is false in docs/asyncapi.yaml but true in the class',
      'data.a: minimum is 1 in docs/asyncapi.yaml but 0 in the class',
      'data.c: in docs/asyncapi.yaml, not in the class',
      'data.b: in the class, missing from docs/asyncapi.yaml',
    ]);
  });
});
