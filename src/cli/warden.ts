#!/usr/bin/env node
import { serveCommand } from './serve-command.ts';

const USAGE = `usage: warden <command>

commands:
  serve      run Warden (OTLP receivers, store, API); the default
  help       show this text

Configuration comes from WARDEN_* environment variables and an optional YAML file named by
WARDEN_CONFIG; see the README.`;

async function main(argv: string[]): Promise<number> {
  const [command = 'serve'] = argv;
  switch (command) {
    case 'serve':
      return serveCommand(process.env);
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
