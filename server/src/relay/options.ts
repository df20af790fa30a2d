import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MAX_EVENTS_PER_BATCH } from '@ioc/shared';

export const RELAY_VERSION = '0.1.0';
export const RELAY_AGENT = `ioc-relay/${RELAY_VERSION}`;

export interface RelayOptions {
  /** Base URL of the IOC server, e.g. https://ioc.example.gov.vn (without /api). */
  server: string;
  key: string;
  watch: string;
  spool: string;
  /** The commune the relay serves, for heartbeats with a province or nation key. */
  commune: string | null;
  batchSize: number;
  /** 0: no heartbeats. */
  heartbeatMs: number;
  timeoutMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  pollMs: number;
  settleMs: number;
  /** Spool what is in the folder, forward everything, send one heartbeat, then exit. */
  once: boolean;
}

export const USAGE = `usage: ioc-relay --server URL --key KEY --watch DIR [--spool DIR] [options]
       npm run relay -- --server URL --key KEY --watch DIR --spool DIR

Store-and-forward for a commune's one-stop system on a weak link (README "For commune IT officers").
Files dropped into the watched folder are copied into the spool (on disk, safe from power loss),
removed from the folder, then sent to the IOC in batches until the server acknowledges them:
  *.ndjson, *.jsonl      one JSON object per line: dossier events (lines with "eventId") → POST /api/v1/events,
                         otherwise dossier records → POST /api/v1/imports
  *.csv                  dossier records with a header line → POST /api/v1/imports
  each optionally gzipped (.gz). Names starting with "." or ending in .part, .tmp or ~ are left alone.

  --server URL           the IOC server, e.g. https://ioc.example.gov.vn
  --key KEY              the ingest key (or IOC_RELAY_KEY in the environment, or --key-file FILE)
  --watch DIR            the folder the one-stop system exports to
  --spool DIR            where files wait until acknowledged (default ./ioc-relay-spool)
  --commune CODE         the commune served, when the key is a province's or the nation's
  --batch-size N         events per request, at most ${MAX_EVENTS_PER_BATCH} (default ${MAX_EVENTS_PER_BATCH})
  --heartbeat-seconds N  heartbeat every N seconds, 0 for none (default 60)
  --timeout-seconds N    give up on a request after N seconds and retry (default 60)
  --retry-max-seconds N  longest wait between retries (default 300)
  --once                 forward what is there and exit (for cron, or to empty the spool by hand)
  --status               print the spool's state and exit`;

const int = (v: string | undefined, name: string, dflt: number, min: number, max: number): number => {
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${v}"`);
  return Number(v);
};

/** Parses the command line (and IOC_RELAY_KEY); throws with a message naming the problem. */
export function parseRelayArgs(argv: string[], env: NodeJS.ProcessEnv, cwd: string, readKeyFile: (path: string) => string): { help: true } | { status: true; spool: string } | RelayOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      server: { type: 'string' },
      key: { type: 'string' },
      'key-file': { type: 'string' },
      watch: { type: 'string' },
      spool: { type: 'string' },
      commune: { type: 'string' },
      'batch-size': { type: 'string' },
      'heartbeat-seconds': { type: 'string' },
      'heartbeat-ms': { type: 'string' },
      'timeout-seconds': { type: 'string' },
      'timeout-ms': { type: 'string' },
      'retry-base-ms': { type: 'string' },
      'retry-max-seconds': { type: 'string' },
      'poll-ms': { type: 'string' },
      'settle-ms': { type: 'string' },
      once: { type: 'boolean' },
      status: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { help: true };
  const spool = resolve(cwd, values.spool ?? 'ioc-relay-spool');
  if (values.status) return { status: true, spool };
  const problems: string[] = [];
  const need = (v: string | undefined, name: string) => {
    if (!v) problems.push(`${name} is required`);
    return v ?? '';
  };
  const server = need(values.server, '--server').replace(/\/+$/, '');
  if (server && !/^https?:\/\/[^/]+/.test(server)) problems.push(`--server must be an http:// or https:// address, got "${server}"`);
  const key = values.key ?? env.IOC_RELAY_KEY ?? (values['key-file'] ? readKeyFile(resolve(cwd, values['key-file'])).trim() : undefined);
  if (!key) problems.push('--key is required (or IOC_RELAY_KEY, or --key-file)');
  const watch = need(values.watch, '--watch');
  if (values.commune !== undefined && !/^\d{5}$/.test(values.commune)) problems.push(`--commune must be a 5-digit commune code, got "${values.commune}"`);
  const opts = (() => {
    try {
      return {
        batchSize: int(values['batch-size'], '--batch-size', MAX_EVENTS_PER_BATCH, 1, MAX_EVENTS_PER_BATCH),
        heartbeatMs:
          values['heartbeat-ms'] !== undefined ? int(values['heartbeat-ms'], '--heartbeat-ms', 60_000, 0, 3_600_000) : int(values['heartbeat-seconds'], '--heartbeat-seconds', 60, 0, 3600) * 1000,
        timeoutMs: values['timeout-ms'] !== undefined ? int(values['timeout-ms'], '--timeout-ms', 60_000, 100, 3_600_000) : int(values['timeout-seconds'], '--timeout-seconds', 60, 1, 3600) * 1000,
        retryBaseMs: int(values['retry-base-ms'], '--retry-base-ms', 1000, 10, 600_000),
        retryMaxMs: int(values['retry-max-seconds'], '--retry-max-seconds', 300, 1, 86_400) * 1000,
        pollMs: int(values['poll-ms'], '--poll-ms', 1000, 50, 600_000),
        settleMs: int(values['settle-ms'], '--settle-ms', 2000, 0, 3_600_000),
      };
    } catch (e) {
      problems.push((e as Error).message);
      return null;
    }
  })();
  if (problems.length > 0 || !opts) throw new Error(problems.join('\n'));
  return { server, key: key!, watch: resolve(cwd, watch), spool, commune: values.commune ?? null, once: values.once ?? false, ...opts };
}
