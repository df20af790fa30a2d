import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { DossierEvent } from '@ioc/shared';
import type { AppConfig } from '../config/config.js';
import { fsyncDir, writeFileDurably } from '../relay/durable.js';

/**
 * Remote communes whose data goes through a real ioc-relay in the demo (README "ioc-relay"):
 * three of Cao Bằng (Nguyên Bình, Hạ Lang, Độc Lập) and three of Quảng Trị's Đakrông area
 * (Đakrông, Tà Rụt, La Lay). Their one-stop system exports its events into a folder the
 * relay watches; the relay spools them and forwards them over a weak link.
 */
export const DEMO_RELAY_COMMUNES: readonly string[] = ['01726', '01558', '01594', '19564', '19588', '19594'];

/**
 * Where the demo's relays keep their folders: beside the embedded PostgreSQL's data, in the
 * folder the server keeps its writable state in, one subfolder per database (so two databases
 * never share a spool).
 */
export function demoRelayRoot(config: AppConfig, databaseUrl: string): string {
  let name: string;
  try {
    name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  } catch {
    name = '';
  }
  return join(config.embeddedPgDir, 'demo-relay', demoRelayFolderName(name || 'ioc'));
}

/** The folder a database's relays keep their folders in, by the database's name. */
export function demoRelayFolderName(database: string): string {
  return database.replace(/[^\w.-]/g, '_');
}

export interface RelayFolders {
  /** The folder the commune's one-stop system exports into, and the relay watches. */
  exportDir: string;
  /** The relay's spool: queue, journal, status.json. */
  spoolDir: string;
  /** Where an export is written before it is renamed into the watched folder whole. */
  partialDir: string;
}

export function relayFolders(root: string, communeCode: string): RelayFolders {
  const base = join(root, communeCode);
  return { exportDir: join(base, 'export'), spoolDir: join(base, 'spool'), partialDir: join(base, 'export.partial') };
}

/**
 * Writes events as a one-stop system exports them: one NDJSON file, flushed to disk under a
 * temporary name, then renamed into the watched folder, so the relay never reads half a file.
 * Answers the file's name.
 */
export async function writeExport(folders: RelayFolders, events: readonly DossierEvent[], now = Date.now()): Promise<string> {
  await mkdir(folders.exportDir, { recursive: true });
  await mkdir(folders.partialDir, { recursive: true });
  const name = `${new Date(now).toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}.ndjson`;
  await writeFileDurably(folders.exportDir, folders.partialDir, name, events.map((e) => `${JSON.stringify(e)}\n`).join(''));
  await fsyncDir(folders.exportDir);
  return name;
}
