import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import request from 'supertest';
import { KPI_CATALOGUE, type KpiResponse, type RankingResponse, type Report, type ReportListResponse, type SeriesResponse } from '@ioc/shared';
import { eventsOf, ms } from '../../shared/src/kpi/test-dossiers.js';
import { DigestService, renderDigest } from '../src/reports/digest.service.js';
import { NO_DATA, NOT_SCORED, formatRate } from '../src/reports/content.js';
import { formatCount, formatNumber, formatPercent } from '../src/reports/format.js';
import { ReportsService } from '../src/reports/reports.service.js';
import { pdfText } from './pdf-text.js';
import { TEST_API_KEY, type TestApp, startTestApp } from './harness.js';

/**
 * Reports and the daily digest on a real database and a real SMTP server: every figure a
 * report prints (PDF text, workbook cells, archived JSON) is what /kpis, /rankings and
 * /kpis/series answer for the same scope and period; the digest is driven with an explicit
 * clock and arrives once per account and day from 07:30.
 */
interface Mail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  attachments: { filename: string; content: Buffer }[];
}
const mails: Mail[] = [];
let smtp: SMTPServer;
let t: TestApp;
const tokens: Record<string, string> = {};

const pdfBody = (res: request.Response): Buffer => res.body as Buffer;
const binary = (req: request.Test) =>
  req.buffer(true).parse((res, cb) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  });

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    size: 20 * 1024 * 1024,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((m) => {
          mails.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: m.subject ?? '',
            text: m.text ?? '',
            html: typeof m.html === 'string' ? m.html : '',
            attachments: m.attachments.map((a) => ({ filename: a.filename ?? '', content: a.content })),
          });
          callback();
        })
        .catch((e: unknown) => callback(e as Error));
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  t = await startTestApp({ SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`, NOTIFY_POLL_SECONDS: '0', SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000' });
  const people = [
    { username: 'ld.hanoi', role: 'leader', scope: 'province:01', email: 'ld.hanoi@example.gov.vn' },
    { username: 'ct.badinh', role: 'commune_chair', scope: 'commune:00004', email: 'ct.badinh@example.gov.vn' },
    { username: 'ld.nation', role: 'leader', scope: 'nation', email: null },
    { username: 'op.hanoi', role: 'operator', scope: 'province:01', email: 'op.hanoi@example.gov.vn' },
  ] as const;
  for (const p of people) {
    const s = await t.signIn({ username: p.username, role: p.role, scope: p.scope, displayName: `Tài khoản ${p.username}` });
    tokens[p.username] = s.accessToken;
    if (p.email) expect((await t.http.put(`/api/v1/notifications/contacts/${s.user.id}`).send({ email: p.email })).status).toBe(200);
  }

  // January 2026 in Hà Nội (two communes) and Hồ Chí Minh (one), days 5 to 7 for the digest.
  const specs = [
    {
      id: 'R1',
      unit: '00004',
      received: '2026-01-05T08:00',
      due: '2026-01-07T17:00',
      channel: 'online' as const,
      completed: '2026-01-06T10:00',
      feeRequired: true,
      paid: { at: '2026-01-05T08:05', online: true },
    },
    { id: 'R2', unit: '00004', received: '2026-01-05T09:00', due: '2026-01-06T17:00', completed: '2026-01-09T10:00', digitized: '2026-01-05T09:30' },
    { id: 'R3', unit: '00008', received: '2026-01-06T10:00', due: '2026-01-08T17:00', channel: 'online' as const, fullOnlineEligible: true },
    { id: 'R4', unit: '00008', received: '2026-01-06T11:00', due: '2026-01-20T17:00', resultRequired: true, completed: '2026-01-08T15:00', resultIssued: { at: '2026-01-08T15:00', electronic: true } },
    { id: 'R5', unit: '00004', received: '2026-01-06T14:00', due: '2026-01-07T16:00' },
    { id: 'R6', unit: '25747', received: '2026-01-12T08:00', due: '2026-01-14T17:00', completed: '2026-01-13T09:00' },
    { id: 'R7', unit: '00004', received: '2026-01-20T08:00', due: '2026-01-22T17:00', completed: '2026-01-21T08:00', channel: 'online' as const },
  ];
  const res = await request(t.app.getHttpServer())
    .post('/api/v1/events?wait=projected')
    .set('X-Api-Key', TEST_API_KEY)
    .send({ events: specs.flatMap(eventsOf) });
  expect(res.body.rejected).toBe(0);
  // Reported values of the national index (kpi-v2): the report shows them with who reported them.
  const reported = await request(t.app.getHttpServer())
    .post('/api/v1/indicator-values')
    .set('X-Api-Key', TEST_API_KEY)
    .send({
      values: [
        { unitCode: '01', month: '2026-01', subIndicator: '1.1', numerator: 42, denominator: 45 },
        { unitCode: '00004', month: '2026-01', subIndicator: '4.c', numerator: 1, denominator: 1 },
      ],
    });
  expect(reported.status).toBeLessThan(300);
});

afterAll(async () => {
  await t?.close();
  await new Promise<void>((r) => smtp?.close(() => r()));
});

const api = async <T>(path: string, query: Record<string, string>): Promise<T> => {
  const res = await t.http.get(path).query(query);
  expect(res.status).toBe(200);
  return res.body as T;
};

describe('reports', () => {
  const reports: Record<string, Report> = {};

  it.each(['province:01', 'nation', 'commune:00004'])('a report of %s holds exactly what the API answers for January 2026', async (scope) => {
    const res = await t.http.post('/api/v1/reports').send({ scope, from: '2026-01-01', to: '2026-01-31' });
    expect(res.status).toBe(201);
    const report = res.body as Report;
    reports[scope] = report;
    expect(report).toMatchObject({ scope, kind: 'on_demand', from: '2026-01-01', to: '2026-01-31', requestedBy: 'test-admin', pdfUrl: `/api/v1/reports/${report.id}.pdf` });

    // The archived figures are the API's answers.
    const q = { scope, from: '2026-01-01', to: '2026-01-31' };
    const kpis = await api<KpiResponse>('/api/v1/kpis', q);
    expect(report.figures.kpis).toEqual(kpis);
    expect(report.asOf).toBe(kpis.asOf);
    expect(report.watermark).toBe(kpis.projection.watermark);
    expect(report.figures.trend).toEqual(await api<SeriesResponse>('/api/v1/kpis/series', { ...q, granularity: 'day' }));
    if (scope === 'commune:00004') expect(report.figures.rankings).toBeNull();
    else {
      const ranking = await api<RankingResponse>('/api/v1/rankings', { ...q, by: 'index' });
      expect(ranking.by).toBe('index');
      expect(report.figures.rankings).toEqual({ ...ranking, entries: ranking.entries.map((e) => ({ ...e, counts: null })) });
    }

    // The PDF prints them.
    const pdf = await binary(t.http.get(report.pdfUrl));
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toContain(`ioc-bao-cao-${scope.replace(':', '-')}-2026-01-01_2026-01-31.pdf`);
    const lines = pdfText(pdfBody(pdf));
    const text = lines.join('\n');
    expect(text).toContain('BÁO CÁO KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH');
    expect(text).toContain(`${report.scopeName} – Tháng 01/2026`);
    const row = (label: string) => lines.indexOf(label);
    const c = kpis.counts;
    for (const [label, value] of [
      ['Tổng số hồ sơ tiếp nhận trong kỳ', c.received],
      ['Kỳ trước chuyển sang', c.carriedOver],
      ['Đã giải quyết', c.resolved],
      ['Đang giải quyết', c.inProgress],
    ] as const) {
      expect(row(label)).toBeGreaterThan(-1);
      expect(lines[row(label) + 1]).toBe(formatCount(value));
    }
    for (const k of KPI_CATALOGUE) {
      const at = row(k.nameVi);
      expect(at).toBeGreaterThan(-1);
      expect(lines.slice(at, at + 6)).toContain(formatPercent(kpis.kpis[k.id].value));
    }
    if (kpis.index.score !== null)
      expect(text).toContain(`Điểm chỉ số kpi-v1: ${formatPercent(kpis.index.score)} (đạt ${formatNumber(kpis.index.points)} trên ${formatNumber(kpis.index.maxPoints)} điểm`);
    expect(text).toContain(`vị trí ${formatCount(kpis.projection.watermark)}`);

    // The national index (kpi-v2): earned of available, never rescaled; every group and sub-indicator as /kpis answers it.
    const v2 = kpis.indexV2!;
    expect(v2.version).toBe('kpi-v2');
    expect(text).toContain('Chỉ số phục vụ người dân, doanh nghiệp (kpi-v2)');
    expect(text).toContain(`Đạt ${formatNumber(v2.earned)} trên ${formatNumber(v2.available)} điểm của các chỉ tiêu thành phần có số liệu`);
    expect(text).not.toMatch(/\/ ?100\b/);
    /** The cells right after the row's first cell (its name may wrap over several lines), in order. */
    const cellsAfter = (at: number, cells: string[]) => {
      const window = lines.slice(at + 1, at + 12);
      const start = window.indexOf(cells[0]!);
      expect(start).toBeGreaterThan(-1);
      expect(window.slice(start, start + cells.length)).toEqual(cells);
    };
    let from = row('3. Chỉ số phục vụ người dân, doanh nghiệp (kpi-v2)');
    expect(from).toBeGreaterThan(-1);
    for (const g of v2.groups) {
      const gAt = lines.indexOf(g.nameVi, from);
      expect(gAt).toBeGreaterThan(from);
      cellsAfter(gAt - 1, [formatNumber(g.earned), formatNumber(g.pmax), formatNumber(g.pointsLost)]);
      expect(
        lines
          .slice(gAt, gAt + 8)
          .join(' ')
          .replace(/\s+/g, ' '),
      ).toContain(`có số liệu: ${formatNumber(g.available)} điểm`);
      for (const s of g.subIndicators) {
        const at = lines.indexOf(s.id, gAt);
        expect(at).toBeGreaterThan(gAt);
        expect(
          lines
            .slice(at + 1, at + 5)
            .join(' ')
            .replace(/\s+/g, ' ')
            .startsWith(s.nameVi),
        ).toBe(true);
        const ratio =
          s.numerator !== null
            ? `${s.unit === 'days' ? formatNumber(s.numerator) : formatCount(s.numerator)}/${formatCount(s.denominator!)}`
            : s.parts.length
              ? s.parts.map((x) => `${formatCount(x.numerator)}/${formatCount(x.denominator)}`).join(' − ')
              : '—';
        cellsAfter(at, [formatRate(s.rate, s.unit), ratio, formatNumber(s.points), formatNumber(s.pmax), formatNumber(s.pointsLost)]);
        const note = lines
          .slice(at + 1, at + 14)
          .join(' ')
          .replace(/\s+/g, ' ');
        if (s.rate === null) expect(note).toContain(NO_DATA);
        if (!s.scored) expect(note).toContain(NOT_SCORED);
        for (const r of s.reported ?? []) expect(note).toContain(r.reportedBy);
      }
      from = gAt;
    }
    const twoTwo = v2.groups.flatMap((g) => g.subIndicators).find((x) => x.id === '2.2')!;
    expect([twoTwo.scored, twoTwo.points]).toEqual([false, null]);
    const reportedSubs = v2.groups.flatMap((g) => g.subIndicators).filter((x) => (x.reported ?? []).length > 0);
    if (scope !== 'nation') expect(reportedSubs.length).toBeGreaterThan(0);

    for (const e of report.figures.rankings?.entries.filter((x) => x.rank !== null) ?? []) {
      const at = row(e.unitName);
      expect(at).toBeGreaterThan(-1);
      expect(lines[at - 1]).toBe(String(e.rank));
      expect(lines[at + 1]).toBe(formatNumber(e.value));
      expect(lines[at + 2]).toBe(e.indexV2!.available ? `${formatNumber(e.indexV2!.earned)} / ${formatNumber(e.indexV2!.available)}` : '—');
    }
    if (report.figures.rankings) expect(text).toContain(`Xếp hạng theo điểm chỉ số kpi-v2`);

    // The workbook holds them as numbers.
    const xlsx = await binary(t.http.get(report.xlsxUrl));
    expect(xlsx.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(new Uint8Array(xlsx.body as Buffer).buffer);
    const counts = wb.getWorksheet('Biểu II.06a')!;
    expect(counts.getRow(2).values).toEqual([undefined, 'Tổng số hồ sơ tiếp nhận trong kỳ', c.received]);
    expect(counts.getRow(13).getCell(2).value).toBe(c.inProgressOverdue);
    const kpiSheet = wb.getWorksheet('Chỉ tiêu')!;
    KPI_CATALOGUE.forEach((k, i) => {
      const r = kpiSheet.getRow(i + 2);
      const v = kpis.kpis[k.id];
      expect(r.getCell(1).value).toBe(k.id);
      expect(r.getCell(5).value).toBe(v.value);
      if ('numerator' in v) expect([r.getCell(3).value, r.getCell(4).value]).toEqual([v.numerator, v.denominator]);
      expect(r.getCell(6).value).toBe(k.fullScoreAt);
    });
    const ranked = wb.getWorksheet('Xếp hạng');
    if (report.figures.rankings) {
      report.figures.rankings.entries.forEach((e, i) => {
        const r = ranked!.getRow(i + 2);
        expect([r.getCell(1).value, r.getCell(2).value, r.getCell(4).value, r.getCell(5).value, r.getCell(6).value, r.getCell(7).value, r.getCell(10).value]).toEqual([
          e.rank,
          e.unitCode,
          e.value,
          report.figures.rankings!.commonPmax,
          e.indexV2!.earned,
          e.indexV2!.available,
          e.received,
        ]);
      });
    } else expect(ranked).toBeUndefined();
    const v2Sheet = wb.getWorksheet('Chỉ số kpi-v2')!;
    const v2Rows = new Map<string, ExcelJS.Row>();
    v2Sheet.eachRow((r) => v2Rows.set(`${String(r.getCell(1).value)}|${String(r.getCell(2).value)}`, r));
    for (const g of v2.groups) {
      for (const s of g.subIndicators) {
        const r = v2Rows.get(`${g.nameVi}|${s.id}`)!;
        expect(r).toBeDefined();
        expect([r.getCell(3).value, r.getCell(7).value, r.getCell(8).value, r.getCell(9).value, r.getCell(10).value, r.getCell(11).value, r.getCell(12).value, r.getCell(13).value]).toEqual([
          s.nameVi,
          s.rate,
          s.numerator,
          s.denominator,
          s.points,
          s.pmax,
          s.pointsLost,
          s.coverage?.value ?? null,
        ]);
        if (s.rate === null) expect(String(r.getCell(14).value)).toContain(NO_DATA);
      }
      const total = v2Rows.get(`${g.nameVi}|Cộng nhóm`)!;
      expect([total.getCell(10).value, total.getCell(11).value, total.getCell(12).value]).toEqual([g.earned, g.pmax, g.pointsLost]);
    }
    expect(v2Rows.get(`Điểm đạt|${v2.earned}`)).toBeDefined();
    expect(v2Rows.get(`Điểm có số liệu|${v2.available}`)).toBeDefined();
    expect(v2Rows.get(`Điểm mất|${v2.pointsLost}`)).toBeDefined();
    const reportedSheet = wb.getWorksheet('Số liệu đơn vị báo cáo')!;
    const reportedRows: unknown[][] = [];
    reportedSheet.eachRow((r, i) => i > 1 && reportedRows.push((r.values as unknown[]).slice(1)));
    expect(reportedRows).toEqual(
      v2.groups.flatMap((g) => g.subIndicators.flatMap((s) => (s.reported ?? []).map((x) => [s.id, x.unitCode, x.month, x.numerator, x.denominator, x.reportedBy, x.reportedAt]))),
    );

    const trend = wb.getWorksheet('Xu hướng')!;
    report.figures.trend.points.forEach((p, i) => expect(trend.getRow(i + 2).getCell(2).value).toBe(p.counts.received));
  });

  it('lists reports, and refuses bad periods and scopes', async () => {
    const list = await api<ReportListResponse>('/api/v1/reports', { scope: 'province:01' });
    expect(list.items.map((r) => r.id)).toEqual([reports['province:01']!.id]);
    const bad = [
      { scope: 'province:01', from: '2026-02-01', to: '2026-01-31' },
      { scope: 'province:01', from: '2026-13-01', to: '2026-13-31' },
      { scope: 'province:01', from: '2099-01-01', to: '2099-01-31' },
      { scope: 'province:01', from: '2020-01-01', to: '2026-01-31' },
      { scope: 'province:1', from: '2026-01-01', to: '2026-01-31' },
      { scope: 'province:01', from: '2026-01-01' },
    ];
    for (const body of bad) expect((await t.http.post('/api/v1/reports').send(body)).status).toBe(400);
    expect((await t.http.get('/api/v1/reports').query({ kind: 'weekly' })).status).toBe(400);
    expect((await t.http.get('/api/v1/reports/abc.pdf')).status).toBe(400);
    expect((await t.http.get('/api/v1/reports/999999.pdf')).status).toBe(404);
  });

  it('checks access like /kpis and /rankings: 403 for scopes the caller may not see', async () => {
    const chair = t.as(tokens['ct.badinh']!);
    const hcm = await t.http.post('/api/v1/reports').send({ scope: 'province:79', from: '2026-01-01', to: '2026-01-31' });
    expect(hcm.status).toBe(201);
    for (const path of [`/api/v1/reports/${hcm.body.id}`, `/api/v1/reports/${hcm.body.id}.pdf`, `/api/v1/reports/${hcm.body.id}.xlsx`, `/api/v1/reports/${reports.nation!.id}.pdf`]) {
      expect((await chair.get(path)).status).toBe(403);
    }
    expect((await chair.get('/api/v1/reports').query({ scope: 'province:79' })).status).toBe(403);
    expect((await chair.post('/api/v1/reports').send({ scope: 'commune:00008', from: '2026-01-01', to: '2026-01-31' })).status).toBe(403);
    // Their own commune and province (communes compared, as on /rankings) are theirs to read.
    expect((await chair.get(`/api/v1/reports/${reports['province:01']!.id}.xlsx`)).status).toBe(200);
    const mine = (await chair.get('/api/v1/reports')).body as ReportListResponse;
    expect(mine.items.map((r) => r.scope).sort()).toEqual(['commune:00004', 'province:01']);
    const leader = (await t.as(tokens['ld.hanoi']!).get('/api/v1/reports')).body as ReportListResponse;
    expect(leader.items.map((r) => r.scope).sort()).toEqual(['commune:00004', 'nation', 'province:01', 'province:79']);
  });

  it("makes last month's reports on the 1st at 07:00, once, and mails them to the scope's subscribers", async () => {
    const svc = t.app.get(ReportsService);
    const [ch] = (await t.db.query(`INSERT INTO notification_channel (name, kind, config, created_by) VALUES ('Thư báo cáo', 'email', '{}', 'test') RETURNING id`)) as { id: string }[];
    const [op] = (await t.db.query(`SELECT id FROM app_user WHERE username = 'op.hanoi'`)) as { id: string }[];
    await t.db.query(`INSERT INTO notification_subscription (name, channel_id, user_id, scope, min_severity, created_by) VALUES ('Hà Nội', $1, $2, 'province:01', 'major', 'test')`, [ch!.id, op!.id]);
    // Two scopes stand for all of them (the nation, every province and the watched communes), to keep the test short.
    const scopes = ['province:01', 'commune:00004'];
    expect(await svc.scheduledScopes()).toEqual(expect.arrayContaining(['nation', 'province:01', 'province:96', 'commune:00004']));
    const before = mails.length;
    // On 1 February at 07:00 January's reports are due, and the fourth quarter's (not made yet: the server was not running on 1 January).
    expect(await svc.runScheduled(ms('2026-02-01T07:00'), scopes)).toBe(4);
    expect(await svc.runScheduled(ms('2026-02-01T08:00'), scopes)).toBe(0);
    expect(await svc.runScheduled(ms('2026-02-02T07:00'), scopes)).toBe(0);
    const list = await api<ReportListResponse>('/api/v1/reports', { scope: 'province:01' });
    expect(list.items.filter((r) => r.kind !== 'on_demand').map((r) => [r.kind, r.from, r.to, r.requestedBy])).toEqual([
      ['monthly', '2026-01-01', '2026-01-31', 'system'],
      ['quarterly', '2025-10-01', '2025-12-31', 'system'],
    ]);
    const monthly = list.items.find((r) => r.kind === 'monthly')!;
    const jan = (await t.http.get(`/api/v1/reports/${monthly.id}`)).body as Report;
    expect(jan.figures.kpis).toEqual(reports['province:01']!.figures.kpis);
    expect(jan.emailedTo).toBe(1);
    const sent = mails.slice(before);
    expect(sent.map((m) => [m.to, m.subject])).toEqual([
      [['op.hanoi@example.gov.vn'], '[IOC] Báo cáo tháng: Thành phố Hà Nội – Tháng 01/2026'],
      [['op.hanoi@example.gov.vn'], '[IOC] Báo cáo quý: Thành phố Hà Nội – Quý IV/2025'],
    ]);
    expect(sent[0]!.attachments.map((a) => a.filename)).toEqual(['ioc-bao-cao-province-01-2026-01-01_2026-01-31.pdf', 'ioc-bao-cao-province-01-2026-01-01_2026-01-31.xlsx']);
    expect(pdfText(sent[0]!.attachments[0]!.content).join('\n')).toContain('Thành phố Hà Nội – Tháng 01/2026');
  });
});

describe('daily digest', () => {
  const digestMails = () => mails.filter((m) => m.subject.startsWith('[IOC] Bản tin sáng'));

  it('is sent from 07:30, once per leader and commune chair per day, in their scope', async () => {
    const digest = t.app.get(DigestService);
    await t.db.query(
      `INSERT INTO alert (rule_id, unit_code, province_code, severity, status, fired_at, updated_at, fired_value, params, details)
       VALUES ('commune-overdue-backlog', '00004', '01', 'major', 'active', $1, $1, 3, '{}', '{}')`,
      [new Date(ms('2026-01-06T18:00'))],
    );
    expect(await digest.runDue(ms('2026-01-07T07:29'))).toBe(0);
    expect(digestMails()).toHaveLength(0);
    // Two processes checking at the same moment, then again later that morning: one mail each.
    await Promise.all([digest.runDue(ms('2026-01-07T07:30')), digest.runDue(ms('2026-01-07T07:30'))]);
    await digest.runDue(ms('2026-01-07T09:00'));
    const first = digestMails();
    expect(first.map((m) => m.to[0]).sort()).toEqual(['ct.badinh@example.gov.vn', 'ld.hanoi@example.gov.vn']);

    const leader = first.find((m) => m.to[0] === 'ld.hanoi@example.gov.vn')!;
    expect(leader.subject).toBe('[IOC] Bản tin sáng 07/01/2026: Thành phố Hà Nội');
    const yesterday = await api<KpiResponse>('/api/v1/kpis', { scope: 'province:01', from: '2026-01-06', to: '2026-01-06' });
    // The index as kpi-v2 scores it: earned of available, never out of 100, and where the points went.
    const v2 = yesterday.indexV2!;
    expect(v2.available).toBeGreaterThan(0);
    expect(leader.text).toContain(`Đạt ${formatNumber(v2.earned)} trên ${formatNumber(v2.available)} điểm của các chỉ tiêu thành phần có số liệu`);
    expect(leader.text).not.toContain('thang 100');
    const onTime = v2.groups.flatMap((g) => g.subIndicators).find((x) => x.id === '2.1')!;
    expect(onTime.pointsLost).toBeGreaterThan(0);
    expect(leader.text).toContain(
      `- 2.1 ${onTime.nameVi}: ${formatPercent(onTime.rate)} (${onTime.numerator}/${onTime.denominator}); ${formatNumber(onTime.points)}/${formatCount(onTime.pmax)} điểm, mất ${formatNumber(onTime.pointsLost)}`,
    );
    for (const g of v2.groups.filter((x) => x.available > 0))
      expect(leader.text).toContain(`- ${g.nameVi}: ${formatNumber(g.earned)}/${formatCount(g.available)} điểm có số liệu (tối đa ${formatCount(g.pmax)})`);
    expect(leader.text).toContain('Xã, phường thay đổi nhiều nhất');
    // A mover reads as kpi-v2 points on the points both days have data for.
    const built = await digest.build('province:01', '2026-01-07', ms('2026-01-07T07:30'));
    const moved = renderDigest(
      { ...built, movers: { up: [{ unitCode: '00004', unitName: 'Ba Đình', provinceName: 'Hà Nội', before: 40.5, after: 44.25, delta: 3.75, available: 56 }], down: [] } },
      { displayName: 'Lãnh đạo' },
    );
    expect(moved.text).toContain('Tăng:\n- Ba Đình (Hà Nội): 40,50 → 44,25 điểm (+3,75) trên 56 điểm có số liệu');
    expect(leader.text).toContain('Cảnh báo đang mở: 1 (Cao 1)');
    expect(leader.text).toContain('[Cao] Tồn đọng hồ sơ quá hạn – Ba Đình (Hà Nội)');
    // R1 and R5 of Ba Đình fall due on the 7th (R1 completed on the 6th), R3 of Ngọc Hà on the 8th.
    expect(leader.text).toContain('Hồ sơ sẽ quá hạn trong hôm nay: 1');
    expect(leader.text).toContain('R5 – Ba Đình (Hà Nội)');
    expect(leader.html).toContain('<table');
    const chair = first.find((m) => m.to[0] === 'ct.badinh@example.gov.vn')!;
    expect(chair.subject).toBe('[IOC] Bản tin sáng 07/01/2026: Phường Ba Đình, Hà Nội');
    expect(chair.text).not.toContain('Xã, phường thay đổi nhiều nhất');

    // The next morning brings the next digest.
    await digest.runDue(ms('2026-01-08T07:31'));
    expect(digestMails()).toHaveLength(4);
    const rows = (await t.db.query(`SELECT status, count(*)::int AS n FROM report_digest GROUP BY status`)) as { status: string; n: number }[];
    expect(rows).toEqual([{ status: 'sent', n: 4 }]);
  });
});
