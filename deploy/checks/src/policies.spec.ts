import type { IDeployment } from 'kubernetes-models/apps/v1';
import type { KubeObject } from './kustomize';
import type { IJob } from 'kubernetes-models/batch/v1';
import type { IContainer } from 'kubernetes-models/v1';
import { containerProblems, coverageProblems, migrationJobProblems, networkProblems, selects } from './policies';

// A compliant Deployment; each test breaks one thing and expects the policy to name it.
function deployment(name = 'scheduler'): KubeObject & IDeployment {
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'junction' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'service',
              image: `junction/${name}:1.0.0`,
              env: [{ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'db', key: name } } }],
              livenessProbe: { httpGet: { path: '/health/live', port: 'http' } },
              readinessProbe: { httpGet: { path: '/health/ready', port: 'http' } },
              resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
  };
}

function container(object: IDeployment) {
  return object.spec!.template.spec!.containers[0];
}

describe('containerProblems', () => {
  it('accepts a hardened container', () => {
    expect(containerProblems(deployment())).toEqual([]);
  });

  it.each([
    ['a writable root filesystem', (d: IDeployment) => (container(d).securityContext!.readOnlyRootFilesystem = false), /readOnlyRootFilesystem/],
    ['root', (d: IDeployment) => (d.spec!.template.spec!.securityContext = { runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } }), /runAsNonRoot is not true.*|runs as UID 0/],
    ['kept capabilities', (d: IDeployment) => (container(d).securityContext!.capabilities = { drop: ['NET_RAW'] }), /drop ALL/],
    ['no readiness probe', (d: IDeployment) => delete container(d).readinessProbe, /readinessProbe/],
    ['no memory limit', (d: IDeployment) => delete container(d).resources!.limits!.memory, /no memory limit/],
    ['a latest image', (d: IDeployment) => (container(d).image = 'junction/scheduler:latest'), /not pinned/],
    ['no /tmp volume', (d: IDeployment) => (d.spec!.template.spec!.volumes = []), /\/tmp/],
    ['a secret as a value', (d: IDeployment) => (container(d).env = [{ name: 'DATABASE_URL', value: 'postgres://u:p@db/x' }]), /DATABASE_URL is not taken from a Secret/],
  ])('names %s', (_what, breakIt, expected) => {
    const broken = deployment();
    breakIt(broken);
    expect(containerProblems(broken).join('\n')).toMatch(expected);
  });
});

describe('coverageProblems', () => {
  it('names a service without a Deployment, Service, PodDisruptionBudget or its own NATS user', () => {
    expect(coverageProblems([deployment()], ['scheduler', 'zzap'])).toEqual([
      'scheduler: no Service selects its pods',
      'scheduler: no PodDisruptionBudget selects its pods',
      'scheduler: NATS_PASS is not set',
      'scheduler: NATS_USER is not scheduler',
      'zzap: no Deployment',
    ]);
  });
});

describe('networkProblems', () => {
  const denyAll: KubeObject = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'deny' },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  };
  const internetOn = (port: number): KubeObject => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'internet' },
    spec: {
      podSelector: { matchLabels: { 'app.kubernetes.io/part-of': 'junction' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port }] }],
    },
  });

  it('requires a default deny', () => {
    expect(networkProblems([internetOn(443), deployment('zzap')])).toEqual([
      'no default-deny NetworkPolicy (empty podSelector, Ingress and Egress, no rules)',
    ]);
  });

  it('lets only connectors leave the cluster, and only on 443', () => {
    expect(networkProblems([denyAll, internetOn(443), deployment('scheduler'), deployment('zzap')])).toEqual([
      'scheduler: not a connector, yet may leave the cluster',
    ]);
    expect(networkProblems([denyAll, internetOn(80), deployment('zzap')])).toEqual([
      'zzap: egress outside the cluster is not limited to port 443',
    ]);
    expect(networkProblems([denyAll, deployment('zzap')])).toEqual([
      'zzap: no NetworkPolicy allows it any egress',
      'zzap: a connector cannot reach its vendor',
    ]);
  });
});

describe('selects', () => {
  it('matches labels and refuses selectors it cannot evaluate', () => {
    expect(selects({ matchLabels: { a: '1' } }, { a: '1', b: '2' })).toBe(true);
    expect(selects({ matchLabels: { a: '1' } }, { a: '2' })).toBe(false);
    expect(() => selects({ matchExpressions: [{ key: 'a', operator: 'Exists' }] }, {})).toThrow(/not supported/);
  });
});

describe('migrationJobProblems', () => {
  const job = (containers: IContainer[]): IJob => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'junction-migrate' },
    spec: { template: { spec: { restartPolicy: 'OnFailure', containers } } },
  });

  it('names what a careless migration Job lacks, per container, and the services it does not migrate', () => {
    const problems = migrationJobProblems(job([{ name: 'scheduler', image: 'junction/scheduler:1.0.0', args: ['node', 'main.js'] }]), ['scheduler', 'zzap']);
    expect(problems).toEqual(
      expect.arrayContaining([
        'Job junction-migrate, container scheduler: runAsNonRoot is not true',
        'Job junction-migrate, container scheduler: no cpu request',
        'Job junction-migrate, container scheduler: does not run `migrate`',
        'Job junction-migrate, container scheduler: DATABASE_URL is not set',
        'Job junction-migrate: no container migrates zzap',
      ]),
    );
    expect(problems.some((problem) => problem.includes('no container migrates scheduler'))).toBe(false);
  });
});
