import { loadConfig } from '../config/load-config.ts';
import type { WardenError } from '../errors/warden-error.ts';
import type { ChainBreak, ChainCheck } from '../enforcer/chain-verifier.ts';
import { verifyActionChains } from '../enforcer/verify-chain.ts';
import { openReplayStore } from '../replay/open-replay-store.ts';
import { createActionLogStore } from '../store/action-log-store.ts';

export const AUDIT_USAGE = `usage: warden audit verify

Recomputes the hash chain of the actions log (suspensions, resumes, callback and notification
outcomes) in the store \`warden serve\` writes to (WARDEN_DATA_DIR or WARDEN_CLICKHOUSE_URL)
and names the first row that does not match.

Exit status: 0 when every chain is intact, 1 when a row does not match (altered, removed,
forged or forked), 2 for bad arguments or configuration, 3 when the store could not be read
(with the embedded store, stop \`warden serve\` first: one process per data directory).`;

export interface AuditIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

const CHECK_NAMES: Record<ChainCheck, string> = {
  duplicate_seq: 'duplicate seq',
  gap: 'gap',
  broken_prev_link: 'broken prev link',
  hash_mismatch: 'hash mismatch',
};

/** `warden audit <subcommand>`: the exit status. */
export async function auditCommand(argv: readonly string[], env: NodeJS.ProcessEnv, io: AuditIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const problem = (error: WardenError, status: number): number => {
    io.stderr.write(`warden audit: ${error.message} (${error.code})\n`);
    return status;
  };
  const [subcommand, ...rest] = argv;
  if (subcommand === 'help' || subcommand === '--help' || subcommand === '-h') {
    io.stdout.write(`${AUDIT_USAGE}\n`);
    return 0;
  }
  if (subcommand !== 'verify' || rest.length > 0) {
    io.stderr.write(`warden audit: expected \`verify\` and no other arguments, got ${JSON.stringify(argv.join(' '))}\n${AUDIT_USAGE}\n`);
    return 2;
  }
  const config = loadConfig(env);
  if (!config.ok) return problem(config.error, 2);
  const opened = openReplayStore(config.value.storage);
  if (!opened.ok) return problem(opened.error, 3);
  try {
    const store = createActionLogStore(opened.value.context.client, opened.value.context.database);
    if (!store.ok) return problem(store.error, 2);
    const report = await verifyActionChains(store.value);
    if (!report.ok) return problem(report.error, 3);
    const { rows, chains, broken } = report.value;
    if (broken !== null) {
      io.stdout.write(`${describeBreak(broken)}\n`);
      io.stderr.write(`warden audit: the actions log in ${opened.value.where} does not verify (WARDEN_AUDIT_CHAIN_BROKEN)\n`);
      return 1;
    }
    const [only] = chains;
    if (only === undefined) io.stdout.write('ok: 0 actions, chain empty\n');
    else if (chains.length === 1) io.stdout.write(`ok: ${rows} actions, chain intact (last hash ${only.lastHash})\n`);
    else {
      io.stdout.write(`ok: ${rows} actions in ${chains.length} chains, every chain intact\n`);
      for (const chain of chains) io.stdout.write(`  chain ${chain.chain}: ${chain.rows} actions (last hash ${chain.lastHash})\n`);
    }
    return 0;
  } finally {
    await opened.value.close();
  }
}

export function describeBreak(broken: ChainBreak): string {
  const chain = broken.chain === 'default' ? '' : ` of chain ${broken.chain}`;
  return `FAILED: action seq ${broken.seq}${chain} (id ${broken.id}): ${CHECK_NAMES[broken.check]}: ${broken.detail}`;
}
