import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type KpiResponse, RECORD_COLUMNS } from '@ioc/shared';
import pg from 'pg';
import request from 'supertest';
import { type DossierSpec, eventsOf, recordOf } from '../../shared/src/kpi/test-dossiers.js';
import { registerIngestKey } from '../src/auth/provision.js';
import { importFile } from '../src/import/import-file.js';
import { UnitsService } from '../src/units/units.service.js';
import { TEST_API_KEY, type TestApp, startTestApp } from './harness.js';

/**
 * Bulk import of dossier history (POST /api/v1/imports and the CLI's importer):
 * records give the same figures as the same dossiers sent as events, re-imports
 * change nothing, bad lines are reported by line number while good ones land, an
 * interrupted import resumes without duplicates, and keys keep to their scope.
 */
const P_KEY = 'import-key-province-01';

let t: TestApp;
let dir: string;

beforeAll(async () => {
  t = await startTestApp();
  await registerIngestKey(t.db, P_KEY, 'province:01', 'Một cửa Hà Nội');
  dir = await mkdtemp(join(tmpdir(), 'ioc-import-'));
});
afterAll(async () => {
  await t?.close();
  await rm(dir, { recursive: true, force: true });
});

const cell = (v: unknown) => {
  const s = v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const csvOf = (records: readonly object[]) => [RECORD_COLUMNS.join(','), ...records.map((r) => RECORD_COLUMNS.map((c) => cell((r as Record<string, unknown>)[c])).join(','))].join('\n') + '\n';
const ndjsonOf = (records: readonly object[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

const upload = (body: string | Buffer, type = 'text/csv', key = TEST_API_KEY) => request(t.app.getHttpServer()).post('/api/v1/imports').set('X-Api-Key', key).set('Content-Type', type).send(body);
const kpis = async (scope: string, from: string, to: string): Promise<KpiResponse> => {
  const res = await t.http.get('/api/v1/kpis').query({ scope, from, to });
  expect(res.status).toBe(200);
  return res.body as KpiResponse;
};
const figures = (k: KpiResponse) => ({ kpis: k.kpis, counts: k.counts, index: k.index });

/** A month of varied dossiers of one unit (ids prefixed), covering every fact the fold keeps. */
function month(prefix: string, unit: string, m: string): (DossierSpec & { id: string })[] {
  const d = (day: number, hm: string) => `2026-${m}-${String(day).padStart(2, '0')}T${hm}`;
  return [
    { id: `${prefix}1`, unit, received: d(5, '08:00'), due: d(7, '17:00'), channel: 'online', completed: d(6, '10:00'), feeRequired: true, paid: { at: d(5, '08:05'), online: true } },
    { id: `${prefix}2`, unit, received: d(5, '09:00'), due: d(7, '17:00'), completed: d(9, '10:00'), digitized: d(5, '09:30') },
    { id: `${prefix}3`, unit, received: d(6, '10:00'), due: d(8, '17:00'), channel: 'online', fullOnlineEligible: true, supplements: [d(7, '09:00')] },
    {
      id: `${prefix}4`,
      unit,
      received: d(6, '11:00'),
      due: d(20, '17:00'),
      resultRequired: true,
      completed: d(8, '15:00'),
      resultIssued: { at: d(8, '15:00'), electronic: true },
      rated: { at: d(9, '08:00'), satisfied: false, complaint: true },
    },
    { id: `${prefix}5`, unit, received: d(10, '08:00'), due: d(12, '17:00'), supplements: [d(11, '08:00'), d(13, '08:00'), d(14, '08:00')], completed: d(16, '10:00'), outcome: 'rejected' },
    { id: `${prefix}6`, unit, received: d(12, '08:00'), due: d(14, '17:00'), channel: 'postal', rated: { at: d(15, '08:00'), satisfied: true, complaint: false } },
  ];
}

describe('bulk import of dossier history', () => {
  it('imports CSV: the figures equal those of the same dossiers sent as events', async () => {
    const imported = month('CSV-', '00004', '01');
    const sent = month('EV-', '00008', '01');
    const res = await upload(csvOf(imported.map(recordOf)));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ records: 6, imported: 6, duplicates: 0, conflicts: 0, rejected: 0, errors: [] });
    expect((await t.db.query(`SELECT count(*)::int AS n FROM ingest_event WHERE type = 'record'`))[0].n).toBe(6);
    const ev = await t.http
      .post('/api/v1/events')
      .set('X-Api-Key', TEST_API_KEY)
      .send({ events: sent.flatMap(eventsOf) });
    expect(ev.body.accepted).toBe(sent.flatMap(eventsOf).length);
    await t.projected();
    expect((await kpis('commune:00004', '2026-01-01', '2026-01-31')).counts).toMatchObject({ received: 6 });
    for (const [from, to] of [
      ['2026-01-01', '2026-01-31'],
      ['2026-01-06', '2026-01-06'],
      ['2026-01-09', '2026-01-15'],
    ] as const) {
      expect(figures(await kpis('commune:00004', from, to))).toEqual(figures(await kpis('commune:00008', from, to)));
    }
  });

  it('imports NDJSON (and gzip): the figures equal those of the same dossiers sent as events', async () => {
    const imported = month('ND-', '00004', '02');
    const sent = month('EVN-', '00008', '02');
    const res = await request(t.app.getHttpServer())
      .post('/api/v1/imports')
      .set('X-Api-Key', TEST_API_KEY)
      .set('Content-Type', 'application/x-ndjson')
      .set('Content-Encoding', 'gzip')
      .send(gzipSync(ndjsonOf(imported.map(recordOf))));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ records: 6, imported: 6, rejected: 0 });
    await t.http
      .post('/api/v1/events')
      .set('X-Api-Key', TEST_API_KEY)
      .send({ events: sent.flatMap(eventsOf) });
    await t.projected();
    expect(figures(await kpis('commune:00004', '2026-02-01', '2026-02-28'))).toEqual(figures(await kpis('commune:00008', '2026-02-01', '2026-02-28')));
  });

  it('re-importing the same file changes nothing', async () => {
    const body = csvOf(month('CSV-', '00004', '01').map(recordOf));
    const before = await kpis('province:01', '2026-01-01', '2026-02-28');
    const [{ n: rows }] = (await t.db.query(`SELECT count(*)::int AS n FROM ingest_event`)) as [{ n: number }];
    const res = await upload(body);
    expect(res.body).toMatchObject({ records: 6, imported: 0, duplicates: 6, conflicts: 0, rejected: 0 });
    await t.projected();
    expect(figures(await kpis('province:01', '2026-01-01', '2026-02-28'))).toEqual(figures(before));
    expect((await t.db.query(`SELECT count(*)::int AS n FROM ingest_event`))[0].n).toBe(rows);
  });

  it('reports bad lines with their line numbers while the good lines land', async () => {
    const good = month('MIX-', '00025', '03').map(recordOf);
    const lines = [
      good[0]!,
      { ...good[1]!, completedAt: '2099-01-01T00:00:00+07:00' }, // line 3
      good[2]!,
      { ...good[3]!, communeCode: '99999' }, // line 5
      { ...good[4]!, feeRequired: 'maybe' }, // line 6
      good[5]!,
      { ...recordOf(month('CSV-', '00004', '01')[0]!), sector: 'Đất đai' }, // line 8: another record for a stored dossier
    ];
    const body = csvOf(lines).replace(/\n$/, '\nMIX-9,00025,too,few\n'); // line 9
    const res = await upload(body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ records: 8, imported: 3, duplicates: 0, conflicts: 1, rejected: 4 });
    expect(res.body.errors.map((e: { line: number; status: string }) => [e.line, e.status])).toEqual([
      [3, 'rejected'],
      [5, 'rejected'],
      [6, 'rejected'],
      [8, 'conflict'],
      [9, 'rejected'],
    ]);
    expect(res.body.errors[0].reason).toMatch(/^completedAt is in the future/);
    expect(res.body.errors[1].reason).toMatch(/99999 is not a known commune/);
    expect(res.body.errors[2].reason).toMatch(/feeRequired must be true or false/);
    expect(res.body.errors[3].reason).toMatch(/a different record for dossier CSV-1 is already stored/);
    expect(res.body.errors[4].reason).toMatch(new RegExp(`the line has 4 fields; the header has ${RECORD_COLUMNS.length}`));
    const stored = (await t.db.query(`SELECT dossier_id FROM ingest_event WHERE dossier_id LIKE 'MIX-%' ORDER BY seq`)) as { dossier_id: string }[];
    expect(stored.map((r) => r.dossier_id)).toEqual(['MIX-1', 'MIX-3', 'MIX-6']);
  });

  it('resumes an interrupted import after its last committed chunk, without duplicates', async () => {
    const records: object[] = Array.from({ length: 45 }, (_, i) => recordOf({ id: `RES-${i}`, unit: '00070', received: '2026-04-02T08:00', due: '2026-04-05T17:00', completed: '2026-04-03T10:00' }));
    records[4] = { ...records[4], dueAt: '2026-03-01T17:00:00+07:00' }; // line 6, in the first chunk
    records[33] = { ...records[33], channel: 'fax' }; // line 35, after the interruption
    const file = join(dir, 'history.csv');
    await writeFile(file, csvOf(records));
    const units = t.app.get(UnitsService);
    const source = { keyId: null, name: 'CLI', scope: { kind: 'nation' } as const };
    const client = new pg.Client({ connectionString: t.url });
    await client.connect();
    try {
      const first = await importFile(client, file, { source, units, chunkLines: 10, stopAfterChunks: 2 });
      expect(first).toMatchObject({ stopped: true, linesDone: 21, records: 20, imported: 19, rejected: 1 });
      const again = await importFile(client, file, { source, units, chunkLines: 10 });
      expect(again).toMatchObject({ stopped: false, resumedAfter: 21, linesDone: 46, records: 45, imported: 43, duplicates: 0, rejected: 2 });
      const done = await importFile(client, file, { source, units, chunkLines: 10 });
      expect(done.alreadyDone).toBe(true);
    } finally {
      await client.end();
    }
    const [{ n, distinct }] = (await t.db.query(`SELECT count(*)::int AS n, count(DISTINCT dossier_id)::int AS distinct FROM ingest_event WHERE dossier_id LIKE 'RES-%'`)) as [
      { n: number; distinct: number },
    ];
    expect([n, distinct]).toEqual([43, 43]);
    const errors = (await readFile(`${file}.errors.csv`, 'utf8')).trim().split('\n');
    expect(errors[0]).toBe('line,dossierId,status,reason');
    expect(errors.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual(['6,RES-4,rejected', '35,RES-33,rejected']);
    await t.projected();
    expect((await kpis('commune:00070', '2026-04-01', '2026-04-30')).counts).toMatchObject({ received: 43 });
  });

  it("keeps a province key to its province's units and dossiers", async () => {
    // A dossier of Hồ Chí Minh City stored by the national key.
    await upload(csvOf([recordOf({ id: 'FOREIGN-1', unit: '25747', received: '2026-05-02T08:00', due: '2026-05-05T17:00' })]));
    const res = await upload(
      csvOf([
        recordOf({ id: 'PK-1', unit: '00004', received: '2026-05-02T08:00', due: '2026-05-05T17:00' }),
        recordOf({ id: 'PK-2', unit: '25747', received: '2026-05-02T08:00', due: '2026-05-05T17:00' }),
        recordOf({ id: 'FOREIGN-1', unit: '00004', received: '2026-05-02T08:00', due: '2026-05-05T17:00' }),
        recordOf({ id: 'PK-3', unit: '01', received: '2026-05-02T08:00', due: '2026-05-25T17:00' }),
      ]),
      'text/csv',
      P_KEY,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ records: 4, imported: 2, rejected: 2 });
    expect(res.body.errors[0]).toMatchObject({ line: 3, dossierId: 'PK-2', status: 'rejected' });
    expect(res.body.errors[0].reason).toMatch(/may only send records of/);
    expect(res.body.errors[1]).toMatchObject({ line: 4, dossierId: 'FOREIGN-1', status: 'rejected' });
    expect(res.body.errors[1].reason).toMatch(/belongs to .*outside this key's scope/);
    expect(((await t.db.query(`SELECT unit_code FROM dossier_owner WHERE dossier_id = 'FOREIGN-1'`)) as { unit_code: string }[])[0]!.unit_code).toBe('25747');
  });

  describe('refuses what is not an import, with a sentence', () => {
    const csv = csvOf([recordOf({ id: 'ERR-1', received: '2026-05-02T08:00', due: '2026-05-05T17:00' })]);

    it('401 without a key or with an unknown one', async () => {
      const none = await request(t.app.getHttpServer()).post('/api/v1/imports').set('Content-Type', 'text/csv').send(csv);
      expect(none.status).toBe(401);
      expect(none.body.message).toMatch(/X-Api-Key/);
      expect((await upload(csv, 'text/csv', 'not-a-key-at-all')).status).toBe(401);
    });

    it('415 for a body that is neither CSV nor NDJSON, or an unknown encoding', async () => {
      const json = await upload(JSON.stringify({ events: [] }), 'application/json');
      expect(json.status).toBe(415);
      expect(json.body.message).toMatch(/text\/csv .* or application\/x-ndjson/);
      const br = await request(t.app.getHttpServer()).post('/api/v1/imports').set('X-Api-Key', TEST_API_KEY).set('Content-Type', 'text/csv').set('Content-Encoding', 'br').send(csv);
      expect(br.status).toBe(415);
      expect(br.body.message).toMatch(/Content-Encoding "br" is not supported/);
      expect((await upload(csv, 'text/csv; charset=latin1')).status).toBe(415);
    });

    it('400 for an unknown or missing column, an empty body, broken gzip', async () => {
      const unknown = await upload(csv.replace('dossierId', 'maHoSo'));
      expect(unknown.status).toBe(400);
      expect(unknown.body.message).toMatch(/unknown column\(s\): "maHoSo"/);
      const missing = await upload('dossierId,communeCode\nX,00004\n');
      expect(missing.status).toBe(400);
      expect(missing.body.message).toMatch(/lacks the required column\(s\): procedureCode/);
      const empty = await upload('', 'application/x-ndjson');
      expect(empty.status).toBe(400);
      const broken = await request(t.app.getHttpServer())
        .post('/api/v1/imports')
        .set('X-Api-Key', TEST_API_KEY)
        .set('Content-Type', 'text/csv')
        .set('Content-Encoding', 'gzip')
        .send(Buffer.from('not gzip at all'));
      expect(broken.status).toBe(400);
      expect(broken.body.message).toMatch(/not valid gzip/);
    });

    it('413 for a body announced larger than the limit, before reading it', async () => {
      const url = new URL(t.base);
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(
          {
            host: url.hostname,
            port: url.port,
            method: 'POST',
            path: '/api/v1/imports',
            headers: { 'X-Api-Key': TEST_API_KEY, 'Content-Type': 'text/csv', 'Content-Length': String(300 * 1024 * 1024) },
          },
          (res) => {
            let body = '';
            res.on('data', (d: Buffer) => (body += d.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        req.write(csv);
      });
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body).message).toMatch(/at most 256 MB/);
    });
  });
});
