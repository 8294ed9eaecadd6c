import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { parse } from 'yaml';
import { EVENT_PAYLOADS } from './event-payloads';
import { ROUTING_KEYS } from './routing-keys';

type Schema = { properties?: Record<string, Schema>; required?: string[]; allOf?: Schema[]; $ref?: string };
type AsyncApi = {
  channels: Record<string, { publish: { message: { $ref: string } } }>;
  components: { messages: Record<string, { payload: Schema }> };
};

const document = parse(readFileSync(join(__dirname, '../../../docs/asyncapi.yaml'), 'utf8')) as AsyncApi;

function dataSchema(key: string): Schema {
  const messageName = document.channels[key].publish.message.$ref.split('/').pop()!;
  const payload = document.components.messages[messageName].payload;
  return payload.allOf!.find((part) => part.properties?.['data'])!.properties!['data'];
}

function decoratedProperties(target: new () => object): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(target, '', true, false);
  return [...new Set(metadata.map((entry) => entry.propertyName))].sort();
}

describe('docs/asyncapi.yaml', () => {
  it('should document exactly the routing keys of the contracts', () => {
    expect(Object.keys(document.channels).sort()).toEqual([...ROUTING_KEYS].sort());
  });

  it.each(ROUTING_KEYS)('should document every field of the %s payload class', (key) => {
    const schema = dataSchema(key);

    expect(Object.keys(schema.properties ?? {}).sort()).toEqual(decoratedProperties(EVENT_PAYLOADS[key]));
  });
});
