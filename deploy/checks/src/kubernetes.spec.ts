import type { IDeployment } from 'kubernetes-models/apps/v1';
import type { IJob } from 'kubernetes-models/batch/v1';
import type { IConfigMap } from 'kubernetes-models/v1';
import { type KubeObject, objectsOfKind, OVERLAYS, renderOverlay } from './kustomize';
import { schemaProblems } from './kubernetes-schema';
import { containerProblems, coverageProblems, migrationJobProblems, networkProblems } from './policies';
import { expectedServices } from './workspace';

describe.each(OVERLAYS)('the %s overlay', (overlay) => {
  let objects: KubeObject[];

  beforeAll(() => {
    objects = renderOverlay(overlay);
  });

  it('renders objects that all validate against the Kubernetes OpenAPI schemas', () => {
    expect(objects.length).toBeGreaterThan(0);
    expect(objects.flatMap(schemaProblems)).toEqual([]);
  });

  it('puts every object in one namespace that enforces the restricted Pod Security Standard', () => {
    const [namespace, ...others] = objectsOfKind(objects, 'Namespace');
    expect(others).toEqual([]);
    expect(namespace.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const outside = objects.filter((object) => object.kind !== 'Namespace' && object.metadata.namespace !== namespace.metadata.name);
    expect(outside.map((object) => `${object.kind} ${object.metadata.name}`)).toEqual([]);
  });

  it('runs every service with a Deployment, a Service, a PodDisruptionBudget and its secrets', () => {
    expect(coverageProblems(objects, expectedServices())).toEqual([]);
  });

  it('runs every container non-root, read-only, probed, with resources and pinned images', () => {
    const deployments = objectsOfKind<KubeObject & IDeployment>(objects, 'Deployment');
    expect(deployments.map((deployment) => deployment.metadata.name).sort()).toEqual(expectedServices());
    expect(deployments.flatMap(containerProblems)).toEqual([]);
  });

  it('has a hardened migration Job that migrates every service', () => {
    const jobs = objectsOfKind<KubeObject & IJob>(objects, 'Job');
    expect(jobs.map((job) => job.metadata.name)).toEqual(['junction-migrate']);
    expect(jobs.flatMap((job) => migrationJobProblems(job, expectedServices()))).toEqual([]);
  });

  it('denies all traffic by default and lets only connectors leave the cluster, on 443', () => {
    expect(networkProblems(objects)).toEqual([]);
  });

  it('gives the pods their non-secret settings from a ConfigMap they all load', () => {
    const [config] = objectsOfKind<KubeObject & IConfigMap>(objects, 'ConfigMap');
    expect(Object.keys(config.data ?? {})).toEqual(expect.arrayContaining(['NATS_URL', 'OTEL_EXPORTER_OTLP_ENDPOINT']));
    for (const deployment of objectsOfKind<KubeObject & IDeployment>(objects, 'Deployment')) {
      const sources = deployment.spec?.template.spec?.containers[0].envFrom ?? [];
      expect(sources.map((source) => source.configMapRef?.name)).toContain(config.metadata.name);
    }
  });
});

describe('overlay differences', () => {
  it('runs one replica of each service in dev and two, spread over nodes, in prod', () => {
    const replicas = (overlay: (typeof OVERLAYS)[number]) =>
      objectsOfKind<KubeObject & IDeployment>(renderOverlay(overlay), 'Deployment').map((deployment) => ({
        replicas: deployment.spec?.replicas,
        spread: deployment.spec?.template.spec?.topologySpreadConstraints?.length ?? 0,
      }));
    expect(new Set(replicas('dev').map((entry) => entry.replicas))).toEqual(new Set([1]));
    expect(replicas('prod').every((entry) => entry.replicas === 2 && entry.spread === 1)).toBe(true);
  });

  it('pins prod images to a release tag of a registry', () => {
    const images = objectsOfKind<KubeObject & IDeployment>(renderOverlay('prod'), 'Deployment').map(
      (deployment) => deployment.spec?.template.spec?.containers[0].image,
    );
    for (const image of images) expect(image).toMatch(/^[a-z0-9.-]+\.[a-z]+\/junction\/[a-z]+:\d+\.\d+\.\d+$/);
  });
});
