import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isPinnedImage, parseDockerfile, readRepoFile, repoRoot } from './deploy-files.ts';

const instructions = parseDockerfile(readRepoFile('Dockerfile'));
const args = (keyword: string): string[] =>
  instructions.filter((instruction) => instruction.keyword === keyword).map((instruction) => instruction.args);

describe('Dockerfile', () => {
  it('builds on a pinned Node 24 slim image', () => {
    const from = args('FROM');
    expect(from).toHaveLength(1);
    const image = from[0] ?? '';
    expect(isPinnedImage(image)).toBe(true);
    expect(image).toMatch(/^node:24\.\d+\.\d+-[a-z]+-slim$/);
  });

  it('installs production dependencies only, from the lock file', () => {
    const run = args('RUN').join('\n');
    expect(run).toContain('npm install --omit=dev');
    expect(args('COPY')).toEqual(expect.arrayContaining(['package.json package-lock.json ./', 'src ./src', 'semconv ./semconv']));
  });

  it('runs as a non-root user, after everything that needs root', () => {
    const users = args('USER');
    expect(users).toHaveLength(1);
    expect(users[0]).not.toMatch(/^(root|0)(:|$)/);
    const userAt = instructions.findIndex((instruction) => instruction.keyword === 'USER');
    const lastRunAt = instructions.map((instruction) => instruction.keyword).lastIndexOf('RUN');
    expect(userAt).toBeGreaterThan(lastRunAt);
  });

  it('listens on every interface on the three ports it exposes', () => {
    expect(args('EXPOSE').join(' ').split(/\s+/).sort()).toEqual(['4317', '4318', '4320']);
    const env = args('ENV').join(' ');
    expect(env).toContain('WARDEN_OTLP_GRPC_ADDR=0.0.0.0:4317');
    expect(env).toContain('WARDEN_OTLP_HTTP_ADDR=0.0.0.0:4318');
    expect(env).toContain('WARDEN_API_ADDR=0.0.0.0:4320');
  });

  it('starts `warden serve` and health-checks /healthz with Node itself', () => {
    expect(JSON.parse(args('CMD')[0] ?? 'null')).toEqual(['node', 'src/cli/warden.ts', 'serve']);
    const healthcheck = args('HEALTHCHECK')[0] ?? '';
    expect(healthcheck).toContain('CMD ["node"');
    expect(healthcheck).toContain('/healthz');
    expect(healthcheck).not.toMatch(/curl|wget/);
  });
});

describe('Dockerfile: the demo fleet of docker-compose.yml', () => {
  it('copies demo/ into the image (and the build context keeps it)', () => {
    expect(args('COPY')).toContain('demo ./demo');
    const ignored = readRepoFile('.dockerignore').split('\n').map((line) => line.trim());
    expect(ignored).not.toContain('demo');
    expect(ignored).not.toContain('demo/');
    expect(ignored).toContain('demo/node_modules');
  });

  it('installs the packages demo/ needs under demo/, production only, as root before USER', () => {
    const runs = args('RUN');
    const demoRun = runs.find((run) => run.includes('demo/demo-package.ts')) ?? '';
    expect(demoRun).toContain('node demo/demo-package.ts > /tmp/demo-package.json');
    expect(demoRun).toContain('mv /tmp/demo-package.json demo/package.json');
    expect(demoRun).toContain('npm install --prefix demo --omit=dev');
  });

  it('demo/demo-package.ts pins what demo/ imports beyond Warden\'s dependencies to the lock file\'s versions', () => {
    const result = spawnSync(process.execPath, ['demo/demo-package.ts'], { cwd: fileURLToPath(repoRoot), encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    const demoPackage = JSON.parse(result.stdout) as { type?: string; dependencies?: Record<string, string> };
    expect(demoPackage.type).toBe('module');
    const lock = JSON.parse(readRepoFile('package-lock.json')) as { packages: Record<string, { version?: string }> };
    const production = Object.keys((JSON.parse(readRepoFile('package.json')) as { dependencies: Record<string, string> }).dependencies);
    const imported = [...readRepoFile('demo/simulated-agent.ts').matchAll(/^import [^;]*? from '(@opentelemetry\/[^']+)';/gm)].map((match) => match[1] ?? '');
    expect(imported.length).toBeGreaterThan(0);
    expect(Object.keys(demoPackage.dependencies ?? {})).toEqual(expect.arrayContaining(imported));
    for (const [name, version] of Object.entries(demoPackage.dependencies ?? {})) {
      expect(version, name).toBe(lock.packages[`node_modules/${name}`]?.version);
      expect(production, name).not.toContain(name);
    }
  });
});
