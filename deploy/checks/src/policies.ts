import type { IDeployment } from 'kubernetes-models/apps/v1';
import type { IJob } from 'kubernetes-models/batch/v1';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1';
import type { IContainer, IPodSpec, IService } from 'kubernetes-models/v1';
import type { KubeObject } from './kustomize';
import { isConnector } from './workspace';

type LabelSelector = NonNullable<IDeployment['spec']>['selector'];

/** Variables that hold secrets: a manifest may only reference them, never carry a value. */
export const SECRET_VARIABLES = ['DATABASE_URL', 'NATS_PASS', 'NATS_TOKEN', 'JUNCTION_SECRET_KEY', 'CONTROL_API_TOKEN'];

/** Security context, probes, resources and image of every container of a Deployment. */
export function containerProblems(deployment: IDeployment): string[] {
  const name = deployment.metadata?.name;
  const pod = deployment.spec?.template.spec;
  if (!pod) return [`Deployment ${name}: no pod spec`];
  const containers = [...(pod.initContainers ?? []), ...pod.containers];
  return containers.flatMap((container) =>
    [
      ...securityProblems(pod, container),
      ...probeProblems(container),
      ...resourceProblems(container),
      ...writableTmpProblems(pod, container),
      ...secretValueProblems(container),
      ...(container.image && /:[^/]+$/.test(container.image) && !container.image.endsWith(':latest')
        ? []
        : [`image ${container.image ?? '(none)'} is not pinned to a tag`]),
    ].map((problem) => `Deployment ${name}, container ${container.name}: ${problem}`),
  );
}

/**
 * The migration Job: one container per expected service running its image's `migrate`, hardened like the
 * Deployments (no probes: it exits), with the database URL from a Secret.
 */
export function migrationJobProblems(job: IJob, services: string[]): string[] {
  const name = job.metadata?.name;
  const pod = job.spec?.template.spec;
  if (!pod) return [`Job ${name}: no pod spec`];
  const problems = pod.containers.flatMap((container) =>
    [
      ...securityProblems(pod, container),
      ...resourceProblems(container),
      ...writableTmpProblems(pod, container),
      ...secretValueProblems(container),
      ...(container.args?.at(-1) === 'migrate' ? [] : ['does not run `migrate`']),
      ...((container.env ?? []).some((variable) => variable.name === 'DATABASE_URL') ? [] : ['DATABASE_URL is not set']),
    ].map((problem) => `Job ${name}, container ${container.name}: ${problem}`),
  );
  const migrated = pod.containers.map((container) => container.image?.replace(/^.*\//, '').replace(/:.*$/, ''));
  for (const service of services) {
    if (!migrated.includes(service)) problems.push(`Job ${name}: no container migrates ${service}`);
  }
  return problems;
}

function securityProblems(pod: IPodSpec, container: IContainer): string[] {
  const context = container.securityContext ?? {};
  const problems: string[] = [];
  if ((context.runAsNonRoot ?? pod.securityContext?.runAsNonRoot) !== true) problems.push('runAsNonRoot is not true');
  if ((context.runAsUser ?? pod.securityContext?.runAsUser) === 0) problems.push('runs as UID 0');
  if (context.readOnlyRootFilesystem !== true) problems.push('readOnlyRootFilesystem is not true');
  if (context.allowPrivilegeEscalation !== false) problems.push('allowPrivilegeEscalation is not false');
  if (!context.capabilities?.drop?.includes('ALL')) problems.push('capabilities do not drop ALL');
  if ((context.seccompProfile ?? pod.securityContext?.seccompProfile)?.type !== 'RuntimeDefault') {
    problems.push('seccompProfile is not RuntimeDefault');
  }
  return problems;
}

function probeProblems(container: IContainer): string[] {
  const problems: string[] = [];
  if (container.livenessProbe?.httpGet?.path !== '/health/live') problems.push('livenessProbe is not GET /health/live');
  if (container.readinessProbe?.httpGet?.path !== '/health/ready') problems.push('readinessProbe is not GET /health/ready');
  return problems;
}

function resourceProblems(container: IContainer): string[] {
  const { requests = {}, limits = {} } = container.resources ?? {};
  return [
    ...['cpu', 'memory'].filter((resource) => requests[resource] === undefined).map((resource) => `no ${resource} request`),
    ...['cpu', 'memory'].filter((resource) => limits[resource] === undefined).map((resource) => `no ${resource} limit`),
  ];
}

// A read-only root needs a writable /tmp (Node and its libraries put temporary files there).
function writableTmpProblems(pod: IPodSpec, container: IContainer): string[] {
  const mount = container.volumeMounts?.find((candidate) => candidate.mountPath === '/tmp');
  const volume = pod.volumes?.find((candidate) => candidate.name === mount?.name);
  return mount && volume?.emptyDir && !mount.readOnly ? [] : ['/tmp is not a writable emptyDir'];
}

function secretValueProblems(container: IContainer): string[] {
  return (container.env ?? [])
    .filter((variable) => SECRET_VARIABLES.includes(variable.name) && !variable.valueFrom?.secretKeyRef)
    .map((variable) => `${variable.name} is not taken from a Secret`);
}

export function selects(selector: LabelSelector | undefined, labels: Record<string, string> = {}): boolean {
  if (!selector) return false;
  if (selector.matchExpressions?.length) throw new Error('matchExpressions are not supported by these checks');
  return Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
}

function podLabels(deployment: IDeployment): Record<string, string> {
  return { ...deployment.spec?.template.metadata?.labels };
}

/**
 * Every expected service has a Deployment, a Service and a PodDisruptionBudget selecting its pods, the secrets its
 * role needs and its own NATS user.
 */
export function coverageProblems(objects: KubeObject[], services: string[]): string[] {
  const deployments = objects.filter((object) => object.kind === 'Deployment') as unknown as IDeployment[];
  const kubeServices = objects.filter((object) => object.kind === 'Service') as unknown as IService[];
  const budgets = objects.filter((object) => object.kind === 'PodDisruptionBudget') as unknown as IPodDisruptionBudget[];
  return services.flatMap((service) => {
    const deployment = deployments.find((candidate) => candidate.metadata?.name === service);
    if (!deployment) return [`${service}: no Deployment`];
    const labels = podLabels(deployment);
    const problems: string[] = [];
    if (!selects(deployment.spec?.selector, labels)) problems.push(`${service}: the Deployment's selector misses its pods`);
    if (!kubeServices.some((candidate) => selects({ matchLabels: candidate.spec?.selector }, labels))) {
      problems.push(`${service}: no Service selects its pods`);
    }
    if (!budgets.some((budget) => selects(budget.spec?.selector, labels))) {
      problems.push(`${service}: no PodDisruptionBudget selects its pods`);
    }
    const env = deployment.spec?.template.spec?.containers.flatMap((container) => container.env ?? []) ?? [];
    const needed = ['DATABASE_URL', 'NATS_PASS', ...(isConnector(service) ? ['JUNCTION_SECRET_KEY'] : [])];
    if (service === 'mapping') needed.push('CONTROL_API_TOKEN');
    for (const variable of needed) {
      if (!env.some((candidate) => candidate.name === variable)) problems.push(`${service}: ${variable} is not set`);
    }
    // Its NATS permissions belong to the user named like the service, and its bus reads replies on `_INBOX_<service>`.
    if (env.find((candidate) => candidate.name === 'NATS_USER')?.value !== service) {
      problems.push(`${service}: NATS_USER is not ${service}`);
    }
    return problems;
  });
}

/**
 * Default deny; every service may reach something (NATS, Postgres, ...); only connectors may leave the cluster,
 * on 443 to public addresses.
 */
export function networkProblems(objects: KubeObject[]): string[] {
  const policies = objects.filter((object) => object.kind === 'NetworkPolicy') as unknown as INetworkPolicy[];
  const deployments = objects.filter((object) => object.kind === 'Deployment') as unknown as IDeployment[];
  const problems: string[] = [];
  const denyAll = policies.some(
    (policy) =>
      Object.keys(policy.spec?.podSelector ?? {}).length === 0 &&
      (['Ingress', 'Egress'] as const).every((type) => policy.spec?.policyTypes?.includes(type)) &&
      !policy.spec?.ingress?.length &&
      !policy.spec?.egress?.length,
  );
  if (!denyAll) problems.push('no default-deny NetworkPolicy (empty podSelector, Ingress and Egress, no rules)');
  for (const deployment of deployments) {
    const name = deployment.metadata?.name ?? '';
    const applying = policies.filter((policy) => selects(policy.spec?.podSelector, podLabels(deployment)));
    const egressRules = applying.flatMap((policy) => policy.spec?.egress ?? []);
    if (egressRules.length === 0) problems.push(`${name}: no NetworkPolicy allows it any egress`);
    const leavesCluster = egressRules.some((rule) => rule.to?.some((peer) => peer.ipBlock));
    if (isConnector(name) && !leavesCluster) problems.push(`${name}: a connector cannot reach its vendor`);
    if (!isConnector(name) && leavesCluster) problems.push(`${name}: not a connector, yet may leave the cluster`);
    const openPorts = egressRules.filter((rule) => rule.to?.some((peer) => peer.ipBlock)).flatMap((rule) => rule.ports ?? []);
    if (leavesCluster && (openPorts.length === 0 || openPorts.some((port) => port.port !== 443))) {
      problems.push(`${name}: egress outside the cluster is not limited to port 443`);
    }
  }
  return problems;
}
