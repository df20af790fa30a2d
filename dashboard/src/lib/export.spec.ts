import { describe, expect, it } from '@jest/globals';
import type { RankingEntry } from '@ioc/shared';
import { bucketColumn } from '../features/overview/TrendPanel';
import { byName, rankingColumns, rankingSpread } from '../features/overview/ranking';
import { type CsvColumn, toCsv, vietnamDateTime } from './csv';
import { excelCell, excelDate, readSheet, sheetName, xlsxBytes } from './xlsx';

interface Row {
  code: string;
  day: string;
  at: string | null;
  v: number | null;
}
const columns: CsvColumn<Row>[] = [
  { header: 'Mã', value: (r) => r.code, kind: 'text' },
  { header: 'Ngày', value: (r) => r.day, kind: 'date' },
  { header: 'Lúc', value: (r) => r.at, kind: 'datetime' },
  { header: 'Giá trị', value: (r) => r.v },
];
const rows: Row[] = [
  { code: '00004', day: '2026-11-21', at: '2026-11-21T07:05:09Z', v: 52.3 },
  { code: '01', day: '2026-11-22', at: null, v: null },
];

describe('CSV that Excel reads right', () => {
  it('keeps codes as text, dates as ISO dates, instants in Vietnam time', () => {
    const [header, a, b] = toCsv(columns, rows).slice(1).split('\r\n');
    expect(header).toBe('Mã,Ngày,Lúc,Giá trị');
    expect(a).toBe('"=""00004""",2026-11-21,2026-11-21 14:05:09,52.3');
    expect(b).toBe('"=""01""",2026-11-22,,');
  });

  it('writes text codes that are not digits as they are, defused when they look like formulas', () => {
    const cols: CsvColumn<{ c: string }>[] = [{ header: 'Mã', value: (r) => r.c, kind: 'text' }];
    expect(
      toCsv(cols, [{ c: '1.004.123.000.00.00.H01' }, { c: '=1+1' }])
        .slice(1)
        .split('\r\n')
        .slice(1, 3),
    ).toEqual(['1.004.123.000.00.00.H01', `'=1+1`]);
  });

  it('converts instants to Vietnam local time', () => {
    expect(vietnamDateTime('2026-12-31T17:30:00Z')).toBe('2027-01-01 00:30:00');
    expect(vietnamDateTime('not a time')).toBeNull();
  });

  it('names trend buckets as dates: a day, a month by its first day, an hour in Vietnam time', () => {
    expect(bucketColumn('Ngày', 'day').value({ label: '2026-11-21' })).toBe('2026-11-21');
    expect(bucketColumn('Tháng', 'month').value({ label: '2026-11' })).toBe('2026-11-01');
    const hour = bucketColumn('Giờ', 'hour');
    expect(
      toCsv([hour], [{ label: '2026-11-21T14:00' }])
        .slice(1)
        .split('\r\n')[1],
    ).toBe('2026-11-21 14:00:00');
  });
});

const entry = (code: string, name: string, score: number | null, rank: number | null): RankingEntry =>
  ({
    unitCode: code,
    unitName: name,
    provinceCode: '01',
    rank,
    received: 3,
    index: { score, points: score, maxPoints: 100, components: [] },
    kpis: Object.fromEntries(['onTime', 'online', 'fullOnline', 'digitized', 'eResult', 'onlinePayment', 'satisfaction'].map((k) => [k, { value: 50 }])),
    counts: null,
  }) as unknown as RankingEntry;

describe('no ranking drawn from ties', () => {
  it('ranks when the scores differ', () => {
    expect(rankingSpread([entry('01', 'A', 90, 1), entry('02', 'B', 80, 2)])).toEqual({ kind: 'ranked' });
  });
  it('says so when every score is the same, units with no score aside', () => {
    expect(rankingSpread([entry('01', 'A', 100, 1), entry('02', 'B', 100, 1), entry('03', 'C', null, null)])).toEqual({ kind: 'tied', score: 100, count: 2 });
  });
  it('says so when no unit has a score', () => {
    expect(rankingSpread([entry('01', 'A', null, null), entry('02', 'B', null, null)])).toEqual({ kind: 'none' });
  });
  it('lists tied units by name', () => {
    expect(byName([entry('02', 'Xã B', 100, 1), entry('01', 'Xã A', 100, 1)]).map((e) => e.unitCode)).toEqual(['01', '02']);
  });
  it('exports the ranking with its unit codes as text', () => {
    const csv = toCsv(rankingColumns('Tỉnh, thành phố'), [entry('00004', 'Phường Ba Đình', 91.5, 1)]);
    expect(csv.split('\r\n')[1]!.startsWith('1,"=""00004""",Phường Ba Đình,91.5,91.5,100,')).toBe(true);
  });
});

describe('Excel workbook', () => {
  it('types each cell: text codes, real dates, numbers with decimals', () => {
    expect(excelCell('00004', 'text')).toEqual({ value: '00004', numFmt: '@' });
    expect(excelCell('2026-11-21', 'date')).toEqual({ value: new Date(Date.UTC(2026, 10, 21)), numFmt: 'dd/mm/yyyy' });
    expect(excelCell('2026-11-21T07:05:09Z', 'datetime')).toEqual({ value: new Date(Date.UTC(2026, 10, 21, 14, 5, 9)), numFmt: 'dd/mm/yyyy hh:mm:ss' });
    expect(excelCell(52.3)).toEqual({ value: 52.3, numFmt: '#,##0.00' });
    expect(excelCell(null)).toEqual({ value: null });
    expect(excelDate('21/11/2026')).toBeNull();
    expect(sheetName('Xếp hạng [tháng 11/2026]: tất cả các tỉnh')).toBe('Xếp hạng  tháng 11 2026   tất c');
  });

  it('writes a workbook Excel opens, with an about sheet and the typed table', async () => {
    const bytes = await xlsxBytes({ title: 'IOC', sheetName: 'Thông tin', lines: [['Phạm vi', 'Toàn quốc']] }, [readSheet({ name: 'Bảng', columns, rows })]);
    const { Workbook } = (await import('exceljs')).default;
    const wb = new Workbook();
    await wb.xlsx.load(bytes);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Thông tin', 'Bảng']);
    const ws = wb.getWorksheet('Bảng')!;
    expect(ws.getRow(1).getCell(1).value).toBe('Mã');
    expect(ws.getRow(1).font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.getCell('A2').value).toBe('00004');
    expect(ws.getCell('A2').numFmt).toBe('@');
    expect(ws.getCell('B2').value).toEqual(new Date(Date.UTC(2026, 10, 21)));
    expect(ws.getCell('B2').numFmt).toBe('dd/mm/yyyy');
    expect(ws.getCell('C2').value).toEqual(new Date(Date.UTC(2026, 10, 21, 14, 5, 9)));
    expect(ws.getCell('D2').value).toBe(52.3);
    expect(ws.getCell('A3').value).toBe('01');
    expect(ws.getCell('D3').value).toBeNull();
  });
});
