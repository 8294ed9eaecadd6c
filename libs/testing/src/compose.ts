import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

type ComposeFile = { services: Record<string, { environment?: Record<string, string | number | boolean> }> };

const WORKSPACE_ROOT = join(__dirname, '..', '..', '..');

export function readCompose(): ComposeFile {
  return parse(readFileSync(join(WORKSPACE_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as ComposeFile;
}

/**
 * The environment docker compose gives a service, with `${VAR:-default}` resolved to its default
 * (what a machine without those variables gets).
 */
export function composeServiceEnv(service: string): Record<string, string> {
  const definition = readCompose().services[service];
  if (!definition) throw new Error(`docker-compose.yml has no service "${service}"`);
  return Object.fromEntries(
    Object.entries(definition.environment ?? {}).map(([key, value]) => [
      key,
      String(value).replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, '$1'),
    ]),
  );
}
