import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

export const ROOT = join(__dirname, '..', '..', '..');

/** Every app of the workspace: the projects under apps/ tagged type:app (a new app is found here). */
export function workspaceApps(): string[] {
  return readdirSync(join(ROOT, 'apps'))
    .filter((name) => existsSync(join(ROOT, 'apps', name, 'project.json')))
    .filter((name) => (JSON.parse(readFileSync(join(ROOT, 'apps', name, 'project.json'), 'utf8')) as { tags?: string[] }).tags?.includes('type:app'))
    .sort();
}

export type CheckResult = { app: string; valid: boolean; problems: string };

type ConfigLib = { loadConfig(configClass: new () => object, env: Record<string, string>): object; BaseServiceConfig: new () => object };

/**
 * Loads the built app's config class (dist/apps/<app>/src/config/<app>.config.js, the one class
 * there that extends BaseServiceConfig) and validates `env` with it, exactly as the app does at
 * boot (`main.js check-config` does the same from the command line). Loaded from the build, not
 * imported: a test never imports an app.
 */
export function checkConfig(app: string, env: Record<string, string>): CheckResult {
  const directory = join(ROOT, 'dist', 'apps', app, 'src', 'config');
  if (!existsSync(directory)) throw new Error(`${directory} is missing: run "npx nx run-many -t build" first`);
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { loadConfig, BaseServiceConfig } = require(join(ROOT, 'dist', 'libs', 'config', 'src', 'index.js')) as ConfigLib;
  const configClasses = readdirSync(directory)
    .filter((file) => file.endsWith('.config.js'))
    .flatMap((file) => Object.values(require(join(directory, file)) as Record<string, unknown>))
    .filter((value): value is new () => object => typeof value === 'function' && value.prototype instanceof BaseServiceConfig);
  /* eslint-enable @typescript-eslint/no-require-imports */
  if (configClasses.length !== 1) throw new Error(`${app}: expected one config class in ${directory}, found ${configClasses.length}`);
  try {
    loadConfig(configClasses[0], env);
    return { app, valid: true, problems: '' };
  } catch (error) {
    return { app, valid: false, problems: (error as Error).message };
  }
}

// ---- docker compose ---------------------------------------------------------------------------

export type ComposeService = {
  image?: string;
  build?: unknown;
  profiles?: string[];
  entrypoint?: string[];
  environment?: Record<string, string | number | boolean>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: string[];
};

export function readCompose(): { services: Record<string, ComposeService> } {
  return parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };
}

/** A service's environment with `${VAR:-default}` resolved to its default (a machine without .env). */
/** A service's environment with `${VAR:-default}` resolved from `variables` (an env file's), else to its default. */
export function composeEnv(service: ComposeService, variables: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([key, value]) => [key, String(value).replace(/\$\{([A-Z0-9_]+):-([^}]*)\}/g, (_, name: string, fallback: string) => variables[name] ?? fallback)]),
  );
}

/** The variables of an env file beside docker-compose.yml (NAME=value lines; # comments). */
export function readEnvFile(name: string): Record<string, string> {
  return Object.fromEntries(
    readFileSync(join(ROOT, name), 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z0-9_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

// ---- Kubernetes -------------------------------------------------------------------------------

export type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; [key: string]: unknown };

/**
 * Renders a Kustomize directory with `kubectl kustomize` (kubectl >= 1.27 bundles Kustomize 5;
 * it is part of this machine kind's image).
 */
export function renderKustomize(directory: string): Manifest[] {
  let output: string;
  try {
    output = execFileSync('kubectl', ['kustomize', join(ROOT, directory)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const failed = error as { code?: string; stderr?: string };
    if (failed.code === 'ENOENT') throw new Error('kubectl is not installed: it renders the Kustomize overlays (kubectl >= 1.27)');
    throw new Error(`kubectl kustomize ${directory} failed: ${failed.stderr ?? String(error)}`);
  }
  return parseAllDocuments(output).map((document) => document.toJS() as Manifest);
}

// kubernetes-models is ES modules only: validate in a plain Node process (native ESM), one for all.
const VALIDATE_SCRIPT = `
const manifests = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
const problems = [];
for (const manifest of manifests) {
  const where = manifest.kind + '/' + manifest.metadata.name;
  try {
    const module = await import('kubernetes-models/' + manifest.apiVersion + '/' + manifest.kind);
    new module[manifest.kind](manifest).validate();
  } catch (error) {
    problems.push(where + ': ' + error.message);
  }
}
process.stdout.write(JSON.stringify(problems));
`;

/**
 * Validates manifests against the Kubernetes JSON schemas with kubernetes-models (the API's
 * OpenAPI schemas compiled to validators: types, required fields, formats, enums; offline).
 * Returns one line per invalid manifest.
 */
export function validateManifests(manifests: readonly Manifest[]): string[] {
  const script = `import { createRequire } from 'node:module'; const require = createRequire(${JSON.stringify(join(ROOT, 'package.json'))});${VALIDATE_SCRIPT}`;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, input: JSON.stringify(manifests), encoding: 'utf8' });
  return JSON.parse(output) as string[];
}

/**
 * Unknown fields, which the schema validators accept silently (a misspelt `readinesProbe` is no
 * probe at all): each manifest is written as a TypeScript object literal typed with its
 * kubernetes-models interface, and the compiler's excess-property check names every field the
 * Kubernetes API does not have. Returns one line per problem, naming the manifest.
 */
export function unknownFieldProblems(manifests: readonly Manifest[]): string[] {
  const folder = mkdtempSync(join(tmpdir(), 'k8s-fields-'));
  try {
    const source = manifests.flatMap((manifest, index) => [
      `import type { I${manifest.kind} as T${index} } from 'kubernetes-models/${manifest.apiVersion}/${manifest.kind}';`,
      `export const m${index}: T${index} = ${JSON.stringify(manifest)};`,
    ]);
    writeFileSync(join(folder, 'manifests.ts'), source.join('\n'));
    const compilerOptions = { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', skipLibCheck: true, types: [], typeRoots: [join(ROOT, 'node_modules', '@types')], paths: { 'kubernetes-models/*': [join(ROOT, 'node_modules', 'kubernetes-models', '*')] } };
    writeFileSync(join(folder, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['manifests.ts'] }));
    const compiled = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', folder, '--pretty', 'false'], { encoding: 'utf8' });
    const errors = compiled.stdout.split('\n').filter((line) => line.includes('error TS'));
    if (compiled.status !== 0 && errors.length === 0) return [`tsc failed: ${compiled.stderr || compiled.stdout}`];
    return errors.map((line) => {
        const row = Number(/manifests\.ts\((\d+),/.exec(line)?.[1] ?? 0);
        const manifest = manifests[Math.floor((row - 1) / 2)];
      return `${manifest ? `${manifest.kind}/${manifest.metadata.name}` : 'manifests'}: ${line.replace(/^.*error TS\d+: /, '')}`;
    });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

export type Container = {
  name: string;
  image: string;
  command?: string[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  ports?: { name?: string; containerPort: number }[];
  readinessProbe?: unknown;
  livenessProbe?: unknown;
  startupProbe?: unknown;
  resources?: { requests?: { cpu?: string; memory?: string }; limits?: { memory?: string } };
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean; capabilities?: { drop?: string[] } };
  volumeMounts?: { name: string; mountPath: string }[];
};

export type PodSpec = {
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  containers: Container[];
  volumes?: { name: string; persistentVolumeClaim?: { claimName: string }; emptyDir?: unknown }[];
};

export type Workload = Manifest & { spec: { selector?: { matchLabels: Record<string, string> }; template: { metadata?: { labels?: Record<string, string> }; spec: PodSpec } } };

/** The environment a container gets: its ConfigMap's data, the Secret's keys (placeholders) and its own env. */
export function containerEnv(container: Container, configMaps: Map<string, Record<string, string>>, secretPlaceholders: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) Object.assign(env, configMaps.get(source.configMapRef.name) ?? {});
    if (source.secretRef) Object.assign(env, secretPlaceholders);
  }
  for (const variable of container.env ?? []) if (variable.value !== undefined) env[variable.name] = variable.value;
  return env;
}
