import { checkConfig, containerEnv, renderKustomize, unknownFieldProblems, validateManifests, workspaceApps, type Manifest, type Workload } from './deploy-support';

// deploy/k8s: the base and the dev overlay rendered with Kustomize (kubectl kustomize); every
// manifest validated against the Kubernetes JSON schemas (kubernetes-models: the API's OpenAPI
// schemas compiled to validators, offline); the operational rules checked on every workload; and
// every app's environment (ConfigMap + its own env + the Secret's keys) run through its config class.

/** The keys the Secret `optimove-secrets` holds (deploy/k8s/README.md); values are placeholders. */
const SECRET_PLACEHOLDERS: Record<string, string> = {
  API_TOKEN: 'placeholder-token-0123456789',
  DATABASE_URL: 'postgres://optimove:secret@postgres.example:5432/optimove',
  AMQP_URL: 'amqp://optimove:secret@rabbitmq.example:5672',
  SMARTFOCUS_PASSWORD: 'placeholder-password',
  SMARTFOCUS_API_KEY: 'placeholder-api-key',
  SIMULATOR_PASSWORD: 'placeholder-password',
  SIMULATOR_API_KEY: 'placeholder-api-key',
};

const SECRET_NAME = /PASSWORD|TOKEN|API_KEY|SECRET|USERS|^DATABASE_URL$|^AMQP_URL$/;

describe.each(['deploy/k8s/base', 'deploy/k8s/overlays/dev'])('%s', (directory) => {
  const manifests = renderKustomize(directory);
  const ofKind = <T extends Manifest = Manifest>(kind: string): T[] => manifests.filter((manifest) => manifest.kind === kind) as T[];
  const deployments = ofKind<Workload>('Deployment');
  const jobs = ofKind<Manifest & { spec: Workload['spec'] }>('Job');
  const services = workspaceApps().filter((app) => directory.endsWith('dev') || app !== 'smartfocus-simulator');

  it('should render only manifests that are valid against the Kubernetes schemas', () => {
    const invalid = validateManifests(manifests);

    expect(manifests.length).toBeGreaterThan(10);
    expect(invalid).toEqual([]);
  });

  it('should hold no field the Kubernetes API does not know (a misspelt field is not silently ignored)', () => {
    expect(unknownFieldProblems(manifests)).toEqual([]);

    const misspelt = structuredClone(manifests.find((manifest) => manifest.kind === 'Deployment')!) as Workload;
    const container = misspelt.spec.template.spec.containers[0] as unknown as Record<string, unknown>;
    container.readinesProbe = container.readinessProbe;
    delete container.readinessProbe;
    expect(unknownFieldProblems([misspelt])).toEqual([
      `Deployment/${misspelt.metadata.name}: Object literal may only specify known properties, and '"readinesProbe"' does not exist in type 'IContainer'.`,
    ]);
  });

  it('should hold a Deployment, a Service and a PodDisruptionBudget per app, and the migration Job', () => {
    expect(deployments.map((deployment) => deployment.metadata.name).sort()).toEqual(services);
    expect(ofKind('Service').map((service) => service.metadata.name).sort()).toEqual(services);
    expect(ofKind('PodDisruptionBudget').map((budget) => budget.metadata.name).sort()).toEqual(services);
    expect(jobs.map((job) => job.spec.template.spec.containers[0].command)).toEqual([['sh', 'tools/migrate-all.sh']]);
  });

  it('should give every container probes, resources, a non-root user and a read-only root filesystem', () => {
    const problems: string[] = [];
    for (const workload of [...deployments, ...jobs]) {
      const pod = workload.spec.template.spec;
      const where = `${workload.kind}/${workload.metadata.name}`;
      if (pod.securityContext?.runAsNonRoot !== true) problems.push(`${where}: runAsNonRoot`);
      for (const container of pod.containers) {
        const security = container.securityContext;
        if (security?.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation`);
        if (security?.readOnlyRootFilesystem !== true) problems.push(`${where}: readOnlyRootFilesystem`);
        if (!security?.capabilities?.drop?.includes('ALL')) problems.push(`${where}: capabilities not dropped`);
        if (!container.resources?.requests?.cpu || !container.resources.requests.memory) problems.push(`${where}: resource requests`);
        if (!container.resources?.limits?.memory) problems.push(`${where}: memory limit`);
        if (workload.kind !== 'Deployment') continue;
        const readiness = JSON.stringify((container.readinessProbe as { httpGet?: unknown } | undefined)?.httpGet);
        const liveness = JSON.stringify((container.livenessProbe as { httpGet?: unknown } | undefined)?.httpGet);
        if (readiness !== JSON.stringify({ path: '/health/ready', port: 'http' })) problems.push(`${where}: readiness probe`);
        if (liveness !== JSON.stringify({ path: '/health/live', port: 'http' })) problems.push(`${where}: liveness probe`);
      }
    }

    expect(problems).toEqual([]);
  });

  it('should reference the Secret, never carry secret values', () => {
    expect(ofKind('Secret')).toEqual([]);
    for (const workload of [...deployments, ...jobs]) {
      for (const container of workload.spec.template.spec.containers) {
        expect(container.envFrom).toContainEqual({ secretRef: { name: 'optimove-secrets' } });
        expect((container.env ?? []).filter((variable) => SECRET_NAME.test(variable.name) && variable.value !== undefined)).toEqual([]);
      }
    }
    for (const configMap of ofKind<Manifest & { data: Record<string, string> }>('ConfigMap')) {
      expect(Object.keys(configMap.data).filter((name) => SECRET_NAME.test(name))).toEqual([]);
    }
  });

  it('should keep the profile-import inbox on a shared volume at IMPORT_INBOX_DIR', () => {
    const deployment = deployments.find((candidate) => candidate.metadata.name === 'profile-import')!;
    const container = deployment.spec.template.spec.containers[0];
    const inboxDir = container.env?.find((variable) => variable.name === 'IMPORT_INBOX_DIR')?.value;
    const mount = container.volumeMounts?.find((candidate) => candidate.mountPath === inboxDir);
    const volume = deployment.spec.template.spec.volumes?.find((candidate) => candidate.name === mount?.name);
    expect(ofKind('PersistentVolumeClaim').map((claim) => claim.metadata.name)).toContain(volume?.persistentVolumeClaim?.claimName);
  });

  it('should point every Service, budget and autoscaler at an existing workload', () => {
    const podLabels = deployments.map((deployment) => deployment.spec.template.metadata?.labels ?? {});
    const matches = (selector: Record<string, string>): boolean => podLabels.some((labels) => Object.entries(selector).every(([key, value]) => labels[key] === value));
    for (const service of ofKind<Manifest & { spec: { selector: Record<string, string> } }>('Service')) expect(matches(service.spec.selector)).toBe(true);
    for (const budget of ofKind<Manifest & { spec: { selector: { matchLabels: Record<string, string> } } }>('PodDisruptionBudget')) expect(matches(budget.spec.selector.matchLabels)).toBe(true);
    const autoscalers = ofKind<Manifest & { spec: { scaleTargetRef: { kind: string; name: string }; minReplicas: number; maxReplicas: number } }>('HorizontalPodAutoscaler');
    expect(autoscalers.map((autoscaler) => autoscaler.spec.scaleTargetRef.name).sort()).toEqual(['metrics-collector', 'profile-import', 'segmentation', 'smartfocus-dispatch']);
    for (const autoscaler of autoscalers) {
      const target = deployments.find((deployment) => deployment.metadata.name === autoscaler.spec.scaleTargetRef.name);
      expect(target?.spec).not.toHaveProperty('replicas'); // the autoscaler owns it
      expect(autoscaler.spec.minReplicas).toBeLessThanOrEqual(autoscaler.spec.maxReplicas);
    }
  });

  it('should give every app and the migration Job an environment its config class accepts', () => {
    const configMaps = new Map(ofKind<Manifest & { data: Record<string, string> }>('ConfigMap').map((configMap) => [configMap.metadata.name, configMap.data]));
    const checks = deployments.map((deployment) => {
      const container = deployment.spec.template.spec.containers[0];
      const env = containerEnv(container, configMaps, SECRET_PLACEHOLDERS);
      return checkConfig(env['APP'] ?? '', env);
    });
    // The Job runs every app's migrate command with its environment.
    const jobEnv = containerEnv(jobs[0].spec.template.spec.containers[0], configMaps, SECRET_PLACEHOLDERS);
    checks.push(...services.map((app) => checkConfig(app, jobEnv)));

    expect(checks.filter((result) => !result.valid)).toEqual([]);
  });
});
