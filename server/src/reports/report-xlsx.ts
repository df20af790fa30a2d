import ExcelJS from 'exceljs';
import type { ReportContent } from './content.js';

/**
 * The report as a workbook: one sheet per section, the same rows as the PDF, with figures as
 * numbers (rates in percent, 2 decimals), codes as text, a bold frozen header and filters.
 */
export async function renderReportXlsx(c: ReportContent, meta: { scope: string; from: string; to: string; asOf: string; watermark: number }): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Trung tâm điều hành IOC';
  wb.title = `${c.kindLabel} – ${c.scopeName} – ${c.periodLabel}`;

  const info = wb.addWorksheet('Thông tin');
  info.columns = [{ width: 28 }, { width: 70 }];
  const infoRows: [string, string | number][] = [
    ['Báo cáo', c.title],
    ['Loại', c.kindLabel],
    ['Phạm vi', c.scopeName],
    ['Mã phạm vi', meta.scope],
    ['Kỳ báo cáo', c.periodLabel],
    ['Từ ngày', meta.from],
    ['Đến ngày', meta.to],
    ['Lập lúc', c.generatedAt],
    ['Số liệu đúng tại', meta.asOf],
    ['Vị trí nhật ký đã tổng hợp', meta.watermark],
    ...c.freshness.map((f, i): [string, string] => [i === 0 ? 'Độ mới của dữ liệu' : '', f]),
  ];
  for (const r of infoRows) info.addRow(r);
  info.getColumn(1).font = { bold: true };

  const table = (name: string, columns: { header: string; width: number; fmt?: string }[], rows: (string | number | null)[][]) => {
    const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = columns.map((col) => ({ header: col.header, width: col.width, ...(col.fmt ? { style: { numFmt: col.fmt } } : {}) }));
    ws.getRow(1).font = { bold: true };
    for (const r of rows) ws.addRow(r);
    ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
    return ws;
  };

  table(
    'Biểu II.06a',
    [
      { header: 'Chỉ tiêu', width: 40 },
      { header: 'Số hồ sơ', width: 14, fmt: '#,##0' },
    ],
    c.counts.map((r) => [r.sub ? `  ${r.label}` : r.label, r.value]),
  );
  table(
    'Chỉ tiêu',
    [
      { header: 'Mã', width: 14 },
      { header: 'Chỉ tiêu', width: 40 },
      { header: 'Tử số', width: 12, fmt: '#,##0' },
      { header: 'Mẫu số', width: 12, fmt: '#,##0' },
      { header: 'Tỷ lệ (%)', width: 12, fmt: '0.00' },
      { header: 'Mức đạt điểm tối đa (%)', width: 22, fmt: '0.00' },
      { header: 'Đánh giá', width: 12 },
    ],
    c.kpis.map((r) => [r.id, r.name, r.numerator, r.denominator, r.value, r.target, r.verdict]),
  );
  const idx = table(
    'Chỉ số kpi-v1',
    [
      { header: 'Thành phần', width: 28 },
      { header: 'Theo chỉ tiêu', width: 34 },
      { header: 'Điểm tối đa', width: 12, fmt: '0.00' },
      { header: 'Điểm đạt', width: 12, fmt: '0.00' },
      { header: 'Điểm mất', width: 12, fmt: '0.00' },
    ],
    c.index.rows.map((r) => [r.name, r.kpiName, r.maxPoints, r.points, r.lost]),
  );
  idx.addRow([]);
  idx.addRow(['Điểm chỉ số (%)', null, null, c.index.score]).font = { bold: true };
  idx.addRow(['Điểm đạt / tối đa có số liệu', null, c.index.maxPoints, c.index.points]).font = { bold: true };

  const v2 = c.indexV2;
  if (v2) {
    // One row per sub-indicator (its group in column A), then each group's totals, then the index's.
    const ws = table(
      'Chỉ số kpi-v2',
      [
        { header: 'Nhóm', width: 24 },
        { header: 'Mã', width: 10 },
        { header: 'Chỉ tiêu thành phần', width: 48 },
        { header: 'Nguồn', width: 16 },
        { header: 'Tính điểm', width: 10 },
        { header: 'Đơn vị', width: 8 },
        { header: 'Tỷ lệ', width: 10, fmt: '0.00' },
        { header: 'Tử số', width: 10 },
        { header: 'Mẫu số', width: 10, fmt: '#,##0' },
        { header: 'Điểm đạt', width: 10, fmt: '0.00' },
        { header: 'Điểm tối đa', width: 11, fmt: '0.00' },
        { header: 'Điểm mất', width: 10, fmt: '0.00' },
        { header: 'Tỷ lệ hồ sơ có thông tin (%)', width: 14, fmt: '0.00' },
        { header: 'Ghi chú', width: 50 },
      ],
      v2.groups.flatMap((g) =>
        g.rows.map((r) => [
          g.name,
          r.id,
          r.name,
          r.source,
          r.scored ? 'Có' : 'Không',
          r.unit === 'days' ? 'ngày' : '%',
          r.rate,
          r.numerator,
          r.denominator,
          r.points,
          r.pmax,
          r.pointsLost,
          r.coverage,
          r.note || null,
        ]),
      ),
    );
    ws.getColumn(2).numFmt = '@';
    ws.addRow([]);
    for (const g of v2.groups) {
      ws.addRow([
        g.name,
        'Cộng nhóm',
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        g.earned,
        g.pmax,
        g.pointsLost,
        null,
        `có số liệu: ${g.available} điểm${g.missing.length ? `; chưa có số liệu: ${g.missing.join(', ')}` : ''}`,
      ]).font = { bold: true };
    }
    ws.addRow([]);
    const total = (label: string, value: number | string) => (ws.addRow([label, value]).font = { bold: true });
    total('Điểm đạt', v2.earned);
    total('Điểm có số liệu', v2.available);
    total('Điểm mất', v2.pointsLost);
    total('Chưa có số liệu', v2.missing.join(', '));
    ws.addRow([v2.summary]);

    const reported = v2.groups.flatMap((g) => g.rows.flatMap((r) => r.reported.map((x) => [r.id, x.unitCode, x.month, x.numerator, x.denominator, x.reportedBy, x.reportedAt])));
    const rs = table(
      'Số liệu đơn vị báo cáo',
      [
        { header: 'Mã', width: 10 },
        { header: 'Mã đơn vị', width: 12 },
        { header: 'Tháng', width: 10 },
        { header: 'Tử số', width: 10, fmt: '#,##0' },
        { header: 'Mẫu số', width: 10, fmt: '#,##0' },
        { header: 'Báo cáo bởi', width: 24 },
        { header: 'Lúc', width: 26 },
      ],
      reported,
    );
    rs.getColumn(1).numFmt = '@';
    rs.getColumn(2).numFmt = '@';
  }

  if (c.ranking) {
    const ws = table(
      'Xếp hạng',
      [
        { header: 'Hạng', width: 8 },
        { header: 'Mã', width: 10 },
        { header: 'Đơn vị', width: 34 },
        { header: 'Điểm xếp hạng (kpi-v2)', width: 15, fmt: '0.00' },
        { header: 'Trên tối đa (chỉ tiêu chung)', width: 15, fmt: '0.00' },
        { header: 'Điểm đạt', width: 11, fmt: '0.00' },
        { header: 'Điểm có số liệu', width: 13, fmt: '0.00' },
        { header: 'Đúng hạn (%)', width: 13, fmt: '0.00' },
        { header: 'Toàn trình (%)', width: 14, fmt: '0.00' },
        { header: 'Tiếp nhận', width: 11, fmt: '#,##0' },
      ],
      c.ranking.rows.map((r) => [r.rank, r.unitCode, r.unitName, r.points, r.commonPmax, r.earned, r.available, r.onTime, r.fullOnline, r.received]),
    );
    ws.getColumn(2).numFmt = '@';
    ws.addRow([]);
    ws.addRow([c.ranking.basis]);
  }
  table(
    'Xu hướng',
    [
      { header: c.trend.grainLabel, width: 12 },
      { header: 'Tiếp nhận', width: 12, fmt: '#,##0' },
      { header: 'Đã giải quyết', width: 14, fmt: '#,##0' },
      { header: 'Đúng hạn (%)', width: 13, fmt: '0.00' },
      { header: 'Điểm chỉ số kpi-v1 (%)', width: 15, fmt: '0.00' },
    ],
    c.trend.rows.map((r) => [r.label, r.received, r.resolved, r.onTime, r.score]),
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}
