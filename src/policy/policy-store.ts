import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { fail, ok, type Result } from '../errors/warden-error.ts';
import { builtInPolicySet, parsePolicy } from './parse-policy.ts';
import type { PolicySet } from './policy-set.ts';
import { watchDirectory } from './watch-directory.ts';

export interface PolicyStoreOptions {
  /** The policy file (WARDEN_POLICY); undefined = built-in defaults, nothing watched. */
  path: string | undefined;
  logger: Logger;
  /** Called with each new valid version after start; not for the first load or unchanged text. */
  onReload?: (set: PolicySet) => void;
  /** Milliseconds of quiet after the last change before the file is read. Default 200. */
  debounceMs?: number;
}

export interface PolicyStore {
  /** The policy in force. Cheap; call it per span rather than keeping the set. */
  current(): PolicySet;
  /**
   * Reads the file now (tests, SIGHUP): ok with the set in force afterwards, or the error that
   * kept the old one. Never rejects.
   */
  reloadNow(): Promise<Result<PolicySet>>;
  /** Stops watching and waits for a reload under way. */
  close(): Promise<void>;
}

export const DEFAULT_POLICY_DEBOUNCE_MS = 200;

/**
 * Loads the policy file, refusing to start on an invalid one, then keeps it current: any change
 * in its directory schedules a read (debounced), unchanged text (same version) is ignored, an
 * invalid or missing file is logged and the policy in force kept.
 */
export async function createPolicyStore(options: PolicyStoreOptions): Promise<Result<PolicyStore>> {
  const { logger } = options;
  if (options.path === undefined || options.path === '') {
    const set = builtInPolicySet();
    logger.info({ policyVersion: set.version }, 'no policy file (WARDEN_POLICY unset): built-in defaults for every agent');
    return ok({ current: () => set, reloadNow: async () => ok(set), close: async () => {} });
  }
  const file = options.path;
  const first = (await readPolicy(file)).result;
  if (!first.ok) return first;
  let current = first.value;
  logger.info({ policyVersion: current.version }, `policy loaded: ${current.describe()}`);

  let closed = false;
  // What the last read found, so a missing file is reported once, not on every event.
  let fileState: 'valid' | 'missing' | 'invalid' = 'valid';
  let chain: Promise<unknown> = Promise.resolve();

  async function reload(): Promise<Result<PolicySet>> {
    const read = await readPolicy(file);
    if (closed) return ok(current);
    if (!read.result.ok) {
      const { error } = read.result;
      if (read.missing && fileState !== 'missing') logger.warn({ policyVersion: current.version }, `${error.message}; keeping policy version ${current.version}`);
      if (!read.missing) logger.error({ code: error.code, policyVersion: current.version }, `policy reload failed, keeping version ${current.version}:\n${error.message}`);
      fileState = read.missing ? 'missing' : 'invalid';
      return read.result;
    }
    const next = read.result.value;
    const recovered = fileState !== 'valid';
    fileState = 'valid';
    if (next.version === current.version) {
      if (recovered) logger.info({ policyVersion: current.version }, `policy file is valid again; version ${current.version} unchanged`);
      return ok(current);
    }
    current = next;
    logger.info({ policyVersion: current.version }, `policy reloaded (version ${current.version}): ${current.describe()}`);
    try {
      options.onReload?.(current);
    } catch (error) {
      // The new policy is in force either way; a failing listener must not end the process.
      logger.error({ err: error, policyVersion: current.version }, 'a policy reload listener failed');
    }
    return ok(current);
  }

  function reloadNow(): Promise<Result<PolicySet>> {
    // One read at a time, in order, so an older read never overwrites a newer one.
    const run = chain.then(reload);
    chain = run.catch(() => undefined);
    return run;
  }

  const watch = watchDirectory(path.dirname(path.resolve(file)), options.debounceMs ?? DEFAULT_POLICY_DEBOUNCE_MS, () => void reloadNow(), logger);

  return ok({
    current: () => current,
    reloadNow,
    async close() {
      closed = true;
      watch.close();
      await chain;
    },
  });
}

async function readPolicy(file: string): Promise<{ result: Result<PolicySet>; missing: boolean }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    return { result: fail('WARDEN_POLICY_INVALID', `${file}: cannot read the policy file (${code ?? message})`), missing: code === 'ENOENT' };
  }
  return { result: parsePolicy(text, file), missing: false };
}
