#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { USAGE, parseRelayArgs } from '../relay/options.js';
import { Relay } from '../relay/relay.js';

/**
 * ioc-relay: store-and-forward for a commune's one-stop system on a weak link
 * (README "For commune IT officers"). The library is server/src/relay/.
 */
const log = (m: string) => console.log(`${new Date().toISOString()} [ioc-relay] ${m}`);

async function main(): Promise<number> {
  // npm runs the script in server/: paths are taken relative to where the command was typed.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  let parsed: ReturnType<typeof parseRelayArgs>;
  try {
    parsed = parseRelayArgs(process.argv.slice(2), process.env, cwd, (p) => readFileSync(p, 'utf8'));
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if ('help' in parsed) {
    console.log(USAGE);
    return 0;
  }
  if ('status' in parsed) {
    try {
      console.log(await readFile(join(parsed.spool, 'status.json'), 'utf8'));
      return 0;
    } catch {
      console.error(`no status in ${parsed.spool}: has a relay run with this --spool?`);
      return 1;
    }
  }
  const relay = await Relay.start(parsed, log);
  log(`forwarding ${parsed.watch} to ${parsed.server} through the spool ${parsed.spool}`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => relay.stop());
  await relay.run();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`${new Date().toISOString()} [ioc-relay] stopped: ${(e as Error).message ?? String(e)}`);
    process.exit(1);
  },
);
