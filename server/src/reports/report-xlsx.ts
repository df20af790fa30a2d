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
    'Chỉ số',
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

  if (c.ranking) {
    const ws = table(
      'Xếp hạng',
      [
        { header: 'Hạng', width: 8 },
        { header: 'Mã', width: 10 },
        { header: 'Đơn vị', width: 34 },
        { header: 'Điểm chỉ số (%)', width: 15, fmt: '0.00' },
        { header: 'Điểm đạt', width: 11, fmt: '0.00' },
        { header: 'Điểm tối đa', width: 11, fmt: '0.00' },
        { header: 'Đúng hạn (%)', width: 13, fmt: '0.00' },
        { header: 'Toàn trình (%)', width: 14, fmt: '0.00' },
        { header: 'Tiếp nhận', width: 11, fmt: '#,##0' },
      ],
      c.ranking.rows.map((r) => [r.rank, r.unitCode, r.unitName, r.score, r.points, r.maxPoints, r.onTime, r.fullOnline, r.received]),
    );
    ws.getColumn(2).numFmt = '@';
  }
  table(
    'Xu hướng',
    [
      { header: c.trend.grainLabel, width: 12 },
      { header: 'Tiếp nhận', width: 12, fmt: '#,##0' },
      { header: 'Đã giải quyết', width: 14, fmt: '#,##0' },
      { header: 'Đúng hạn (%)', width: 13, fmt: '0.00' },
      { header: 'Điểm chỉ số (%)', width: 15, fmt: '0.00' },
    ],
    c.trend.rows.map((r) => [r.label, r.received, r.resolved, r.onTime, r.score]),
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}
