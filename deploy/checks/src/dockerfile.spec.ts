import { expandArgs, firstCommand, loadDockerfile, parseCopy, parseDockerfile, parseEnv, stageNamed } from './dockerfile';
import { HostBuild } from './host-image';

describe('parseDockerfile', () => {
  const dockerfile = parseDockerfile(
    [
      '# syntax=docker/dockerfile:1',
      'ARG BASE=node:20',
      'FROM ${BASE} AS deps',
      'WORKDIR /app',
      'RUN mkdir -p /out \\',
      '# a comment inside a continuation is dropped',
      ' && echo "a b" > /out/x',
      '',
      'FROM deps',
      'ENV NODE_ENV=production',
      'CMD ["node", "main.js"]',
    ].join('\n'),
  );

  it('reads global ARGs, named and unnamed stages, and joins continuation lines as BuildKit does', () => {
    expect(dockerfile.globalArgs).toEqual({ BASE: 'node:20' });
    expect(dockerfile.stages.map((stage) => [stage.name, stage.from])).toEqual([['deps', '${BASE}'], ['1', 'deps']]);
    expect(stageNamed(dockerfile, 'deps').instructions[1]).toEqual({ keyword: 'RUN', args: 'mkdir -p /out && echo "a b" > /out/x', line: 5 });
  });

  it('splits a RUN at its first command, and refuses a first command it cannot read safely', () => {
    expect(firstCommand('npm ci --omit=dev && npm cache clean --force')).toEqual({ first: 'npm ci --omit=dev', rest: 'npm cache clean --force' });
    expect(firstCommand('npm ci')).toEqual({ first: 'npm ci', rest: undefined });
    expect(() => firstCommand('cd "$X" && npm ci')).toThrow(/not a simple command/);
  });

  it('reads COPY, ENV and build-argument references', () => {
    expect(parseCopy({ keyword: 'COPY', args: '--from=build /out/libs/ ./libs/', line: 1 })).toEqual({
      from: 'build',
      sources: ['/out/libs/'],
      destination: './libs/',
    });
    expect(() => parseCopy({ keyword: 'COPY', args: '--chown=1000 a b', line: 7 })).toThrow(/line 7: COPY --chown=1000/);
    expect(parseEnv('NODE_ENV=production LABEL="a b"')).toEqual({ NODE_ENV: 'production', LABEL: 'a b' });
    expect(expandArgs('services/${SERVICE}/dist/ $SERVICE $OTHER', { SERVICE: 'zzap' })).toBe('services/zzap/dist/ zzap $OTHER');
  });
});

describe('the Dockerfile', () => {
  it('has the stages the checks reproduce, the runtime ones on runtime-deps', () => {
    const dockerfile = loadDockerfile();
    expect(dockerfile.stages.map((stage) => stage.name)).toEqual(['manifests', 'build', 'runtime-deps', 'sandbox', 'service']);
    expect(stageNamed(dockerfile, 'service').from).toBe('runtime-deps');
    expect(stageNamed(dockerfile, 'sandbox').from).toBe('runtime-deps');
  });

  it('cannot grow a step the checks would silently skip', () => {
    const dockerfile = loadDockerfile();
    const manifests = stageNamed(dockerfile, 'manifests');
    const withAdd = {
      ...dockerfile,
      stages: [{ ...manifests, instructions: [{ keyword: 'ADD', args: 'https://example.com/x /x', line: 99 }] }, ...dockerfile.stages.slice(1)],
    };
    expect(() => HostBuild.prepare(withAdd)).toThrow('line 99: the checks cannot reproduce ADD https://example.com/x /x in stage manifests');
  });
});
