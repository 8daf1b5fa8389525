import { existsSync } from 'node:fs';
import { type ComposeFile, composeSchemaProblems, dependencyProblems, loadCompose } from './compose';
import { expectedServices, isConnector, workspacePath } from './workspace';

describe('docker-compose.yml', () => {
  let compose: ComposeFile;

  beforeAll(() => {
    compose = loadCompose();
  });

  it('validates against the Compose Specification schema', () => {
    expect(composeSchemaProblems(compose)).toEqual([]);
  });

  it('rejects what the schema rejects (the schema is really applied)', () => {
    expect(composeSchemaProblems({ services: { nats: { image: 'nats', restart: 42 } } })).not.toEqual([]);
  });

  it('builds every service from the Dockerfile with its SERVICE argument', () => {
    for (const service of expectedServices()) {
      expect(compose.services[service]?.build).toEqual({ context: '.', target: 'service', args: { SERVICE: service } });
    }
  });

  it('runs every compose service that is built from this repository as a workspace service, a sandbox or the seed', () => {
    const built = Object.entries(compose.services).filter(([, service]) => service.build);
    for (const [name, service] of built) {
      if (service.build?.target === 'sandbox') {
        expect(name).toBe(service.entrypoint ? 'seed' : `sandbox-${service.command?.[0]}`);
        expect(service.profiles).toEqual(['demo']);
      } else {
        expect(expectedServices()).toContain(name);
      }
    }
  });

  it('seeds the demo with tools/demo-seed.mjs once every service and sandbox is healthy, with the control API token', () => {
    const seed = compose.services.seed;
    expect(seed.entrypoint).toEqual(['node', 'tools/demo-seed.mjs']);
    expect(existsSync(workspacePath('tools', 'demo-seed.mjs'))).toBe(true);
    expect(seed.command).toEqual(expect.arrayContaining(['--control-api', 'http://mapping:8080']));
    expect(seed.environment?.CONTROL_API_TOKEN).toBe(compose.services.mapping.environment?.CONTROL_API_TOKEN);
    const waitsFor = Object.entries(seed.depends_on ?? {}).filter(([, dependency]) => dependency.condition === 'service_healthy');
    const sandboxes = expectedServices().filter(isConnector).map((connector) => `sandbox-${connector}`);
    expect(waitsFor.map(([name]) => name).sort()).toEqual([...expectedServices(), ...sandboxes].sort());
  });

  it('starts services only once NATS and Postgres are healthy, and health-checks each of them', () => {
    expect(dependencyProblems(compose)).toEqual([]);
    for (const service of expectedServices()) {
      expect(compose.services[service].depends_on).toMatchObject({
        nats: { condition: 'service_healthy' },
        postgres: { condition: 'service_healthy' },
      });
      expect(JSON.stringify(compose.services[service].healthcheck?.test)).toContain('/health/ready');
    }
  });

  it('gives connectors the credential key and the control API its token', () => {
    for (const service of expectedServices()) {
      const environment = Object.keys(compose.services[service].environment ?? {});
      expect(environment).toEqual(expect.arrayContaining(['DATABASE_URL', 'NATS_URL', 'OTEL_EXPORTER_OTLP_ENDPOINT']));
      expect(environment.includes('JUNCTION_SECRET_KEY')).toBe(isConnector(service));
    }
    expect(compose.services.mapping.environment).toHaveProperty('CONTROL_API_TOKEN');
  });

  it('has a sandbox in the demo profile for every connector, and every existing sandbox is a vendor', () => {
    for (const service of expectedServices().filter(isConnector)) {
      expect(compose.services[`sandbox-${service}`]?.profiles).toEqual(['demo']);
    }
    expect(existsSync(workspacePath('deploy', 'otel-collector.yaml'))).toBe(true);
  });

  it('demonstrates detecting a dependency without a condition', () => {
    const broken: ComposeFile = {
      services: { nats: { image: 'nats' }, scheduler: { depends_on: ['nats'] }, mapping: { depends_on: { nats: { condition: 'service_healthy' } } } },
    };
    expect(dependencyProblems(broken)).toEqual([
      'scheduler: depends_on without conditions',
      'mapping: waits for nats to be healthy, which has no healthcheck',
    ]);
  });
});
