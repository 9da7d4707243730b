#!/usr/bin/env node
// Commands load lazily: `replay --file` needs neither the server nor the embedded engine.

const USAGE = `usage: warden <command>

commands:
  serve      run Warden (OTLP receivers, store, API); the default
  replay     run the detectors over recorded traces with a policy and print what would have
             fired (\`warden replay --help\`)
  audit      \`audit verify\`: recompute the hash chain of the actions log and name the first
             row that does not match
  help       show this text

Configuration comes from WARDEN_* environment variables and an optional YAML file named by
WARDEN_CONFIG; see the README.`;

async function main(argv: string[]): Promise<number> {
  const [command = 'serve'] = argv;
  switch (command) {
    case 'serve':
      return (await import('./serve-command.ts')).serveCommand(process.env);
    case 'replay':
      return (await import('./replay-command.ts')).replayCommand(argv.slice(1), process.env);
    case 'audit':
      return (await import('./audit-command.ts')).auditCommand(argv.slice(1), process.env);
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    default:
      process.stderr.write(`warden: unknown command "${command}"\n${USAGE}\n`);
      return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));
