import 'reflect-metadata';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type UnitRef, parseScope } from '@ioc/shared';
import cliProgress from 'cli-progress';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { activeIngestKey, hashKey } from '../auth/ingest-keys.repository.js';
import { loadConfig } from '../config/config.js';
import { dataSourceOptions, migrate } from '../database/data-source.js';
import { startEmbeddedPostgres } from '../database/embedded-postgres.js';
import { importFile } from '../import/import-file.js';
import type { ImportSource } from '../import/importer.js';
import type { ImportFormat } from '../import/record-reader.js';
import { UnitsService } from '../units/units.service.js';

const USAGE = `usage: npm run import -- FILE [--key KEY] [--format csv|ndjson] [--chunk LINES] [--restart]

Imports dossier history (one dossier record per line; README "Importing dossier history").
  FILE        .csv (with a header), .ndjson or .jsonl, each optionally .gz
  --key KEY   import as this ingest key (its scope is enforced); without it, as the operator, for the whole nation
  --restart   import the file again from its first line (a re-run otherwise resumes where it stopped)
Uses DATABASE_URL, or the embedded database of \`npm start\`.`;

/** The source an ingest key stands for (keys are stored as their SHA-256, as the server checks them). */
async function sourceOfKey(db: DataSource, units: UnitsService, key: string): Promise<ImportSource> {
  const row = await activeIngestKey(db, hashKey(key));
  if (!row) throw new Error('the key given with --key is not valid (unknown or revoked)');
  const scope = units.ref(parseScope(row.scope)!);
  if (!scope) throw new Error(`the key's scope ${row.scope} names no known unit`);
  return { keyId: row.id, name: row.name, scope };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { key: { type: 'string' }, format: { type: 'string' }, chunk: { type: 'string' }, restart: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help || positionals.length !== 1) {
    console.log(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  if (values.format !== undefined && values.format !== 'csv' && values.format !== 'ndjson') throw new Error('--format is csv or ndjson');
  // npm runs the script in server/: the file is named relative to where the command was typed.
  const file = resolve(process.env.INIT_CWD ?? process.cwd(), positionals[0]!);

  const config = loadConfig();
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres(config.embeddedPgDir, (m) => console.log(`[db] ${m}`));
  const url = config.databaseUrl ?? embedded!.url;
  await migrate(url);
  const db = new DataSource(dataSourceOptions(url, 2));
  await db.initialize();
  const client = new pg.Client({ connectionString: url, application_name: 'ioc-import' });
  await client.connect();
  const bar = new cliProgress.SingleBar(
    { format: '{bar} {percentage}% | {lines} lines | {rate} lines/s | imported {imported} · duplicates {duplicates} · conflicts {conflicts} · rejected {rejected}', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  try {
    const units = new UnitsService(db);
    await units.load();
    const nation: UnitRef = { kind: 'nation' };
    const source = values.key ? await sourceOfKey(db, units, values.key) : { keyId: null, name: 'CLI', scope: nation };
    console.log(`importing ${file} as ${source.keyId ? `key "${source.name}"` : 'the operator'} (${units.scopeName(source.scope)})`);
    const t0 = performance.now();
    let started = false;
    const r = await importFile(client, file, {
      source,
      units,
      format: values.format as ImportFormat | undefined,
      chunkLines: values.chunk ? Number(values.chunk) : undefined,
      restart: values.restart,
      onProgress: (p) => {
        const payload = { lines: p.lines.toLocaleString('en'), rate: Math.round(p.lines / ((performance.now() - t0) / 1000)).toLocaleString('en'), ...p.counts };
        if (!started) {
          started = true;
          bar.start(p.totalBytes, p.bytes, payload);
        } else bar.update(p.bytes, payload);
      },
    });
    if (started) bar.stop();
    if (r.alreadyDone) {
      console.log(
        `this file was already imported: ${r.imported.toLocaleString('en')} imported, ${r.duplicates.toLocaleString('en')} duplicates, ${r.conflicts.toLocaleString('en')} conflicts, ${r.rejected.toLocaleString('en')} rejected of ${r.records.toLocaleString('en')} records; ` +
          '--restart imports it again (stored records count as duplicates)',
      );
      if (r.errorsFile) console.log(`bad lines: ${r.errorsFile}`);
      return;
    }
    if (r.resumedAfter > 0) console.log(`resumed after line ${r.resumedAfter.toLocaleString('en')}, where an earlier run stopped`);
    const rate = r.seconds > 0 ? Math.round((r.linesDone - r.resumedAfter) / r.seconds) : 0;
    console.log(
      `imported ${r.imported.toLocaleString('en')}, duplicates ${r.duplicates.toLocaleString('en')}, conflicts ${r.conflicts.toLocaleString('en')}, rejected ${r.rejected.toLocaleString('en')}` +
        ` of ${r.records.toLocaleString('en')} records in ${r.seconds.toFixed(1)} s (${rate.toLocaleString('en')} lines/s)`,
    );
    if (r.errorsFile) console.log(`bad lines, with their line numbers and reasons: ${r.errorsFile}`);
    console.log('the figures include the records once the server has folded them (within seconds of it running)');
  } finally {
    bar.stop();
    await client.end();
    await db.destroy();
    await embedded?.stop();
  }
}

main().catch((e: unknown) => {
  console.error(`import failed: ${(e as Error).message ?? String(e)}`);
  process.exit(1);
});
