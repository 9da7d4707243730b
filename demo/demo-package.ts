// Prints the package.json the Docker image installs under demo/ (see the Dockerfile): the packages
// demo/*.ts import that Warden's production install leaves out (the OpenTelemetry SDK is a dev
// dependency of Warden), each at the version package-lock.json records, so the image pins nothing
// the lock file does not. Prints to stdout; redirect to a file outside demo/ first (Node reads
// demo/package.json to run this, so it must not be truncated meanwhile).
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const demoDir = dirname(fileURLToPath(import.meta.url));
const rootDir = join(demoDir, '..');

interface Lock {
  packages: Record<string, { version?: string }>;
}

/** `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

const rootPackage = JSON.parse(readFileSync(join(rootDir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
const lock = JSON.parse(readFileSync(join(rootDir, 'package-lock.json'), 'utf8')) as Lock;
const production = new Set(Object.keys(rootPackage.dependencies ?? {}));
const imported = new Set<string>();
for (const file of readdirSync(demoDir).filter((name) => name.endsWith('.ts'))) {
  // Value imports only: `import type` is erased and needs nothing at run time.
  for (const match of readFileSync(join(demoDir, file), 'utf8').matchAll(/^import (?!type )[^;]*?from '([^'.][^']*)';/gm)) {
    const specifier = match[1] ?? '';
    if (specifier.startsWith('node:') || builtinModules.includes(specifier)) continue;
    imported.add(packageName(specifier));
  }
}

const dependencies: Record<string, string> = {};
for (const name of [...imported].filter((candidate) => !production.has(candidate)).sort()) {
  const version = lock.packages[`node_modules/${name}`]?.version;
  if (version === undefined) {
    process.stderr.write(`demo-package: ${name} is imported by demo/ but not in package-lock.json\n`);
    process.exit(1);
  }
  dependencies[name] = version;
}
// "type": "module" as at the root: the demo's .ts files are ES modules.
process.stdout.write(`${JSON.stringify({ name: 'warden-demo', private: true, type: 'module', dependencies }, null, 2)}\n`);
