import { describe, expect, it } from 'vitest';
import { isPinnedImage, parseDockerfile, readRepoFile } from './deploy-files.ts';

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
