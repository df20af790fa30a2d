import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { SERVER_ROOT } from '../config/config.js';
import { type ReportContent, cell, formatRate } from './content.js';
import { formatDate } from './format.js';

/**
 * pdfkit's built-in fonts are the PDF standard 14, encoded in WinAnsi: they have no ư, ơ, ạ,
 * ế… so Vietnamese would print as gaps. DejaVu Sans (server/assets/fonts, Bitstream Vera
 * licence) has every Vietnamese letter; pdfkit embeds only the glyphs used.
 */
export const FONT_DIR = join(SERVER_ROOT, 'assets', 'fonts');
const REGULAR = join(FONT_DIR, 'DejaVuSans.ttf');
const BOLD = join(FONT_DIR, 'DejaVuSans-Bold.ttf');

const MARGIN = 40;
const PAGE_W = 595.28;
const PAGE_H = 841.89;
const BOTTOM = PAGE_H - MARGIN - 20;
const WIDTH = PAGE_W - 2 * MARGIN;
const ROW_H = 15;
const INK = '#1a1a1a';
const MUTED = '#555555';
const RULE = '#bbbbbb';
const HEAD_BG = '#e8eef5';
const GROUP_BG = '#f3f5f8';
const CELL_SIZE = 8.5;
const CHART = ['#1f5fa8', '#c0392b'];

interface Column {
  title: string;
  width: number;
  align?: 'left' | 'right' | 'center';
  /** Wrapped over as many lines as it needs (the row grows), instead of cut with "…". */
  wrap?: boolean;
}

type Doc = InstanceType<typeof PDFDocument>;

function fit(doc: Doc, text: string, width: number): string {
  if (doc.widthOfString(text) <= width) return text;
  let s = text;
  while (s.length > 1 && doc.widthOfString(`${s}…`) > width) s = s.slice(0, -1);
  return `${s}…`;
}

class Writer {
  y = MARGIN;
  constructor(readonly doc: Doc) {}

  ensure(h: number): void {
    if (this.y + h > BOTTOM) {
      this.doc.addPage();
      this.y = MARGIN;
    }
  }

  heading(text: string): void {
    this.ensure(40);
    this.y += 8;
    this.doc.font('bold').fontSize(12).fillColor(INK).text(text, MARGIN, this.y, { width: WIDTH, lineBreak: false });
    this.y += 20;
  }

  paragraph(text: string, size = 9, color = MUTED): void {
    this.doc.font('regular').fontSize(size).fillColor(color);
    const h = this.doc.heightOfString(text, { width: WIDTH });
    this.ensure(h + 4);
    this.doc.text(text, MARGIN, this.y, { width: WIDTH });
    this.y += h + 4;
  }

  private rowHeight(cols: Column[], cells: string[], bold: boolean): number {
    this.doc.font(bold ? 'bold' : 'regular').fontSize(CELL_SIZE);
    let h = ROW_H;
    cols.forEach((c, i) => {
      if (c.wrap && cells[i]) h = Math.max(h, this.doc.heightOfString(cells[i]!, { width: c.width - 6 }) + 6);
    });
    return h;
  }

  private row(cols: Column[], cells: string[], bold: boolean, fill: string | null): void {
    const h = this.rowHeight(cols, cells, bold);
    this.ensure(h);
    if (fill) this.doc.rect(MARGIN, this.y, WIDTH, h).fill(fill);
    this.doc
      .font(bold ? 'bold' : 'regular')
      .fontSize(CELL_SIZE)
      .fillColor(INK);
    let x = MARGIN;
    cols.forEach((c, i) => {
      if (c.wrap) this.doc.text(cells[i] ?? '', x + 3, this.y + 3.5, { width: c.width - 6, align: c.align ?? 'left' });
      else this.doc.text(fit(this.doc, cells[i] ?? '', c.width - 6), x + 3, this.y + 3.5, { width: c.width - 6, align: c.align ?? 'left', lineBreak: false });
      x += c.width;
    });
    this.doc
      .moveTo(MARGIN, this.y + h)
      .lineTo(MARGIN + WIDTH, this.y + h)
      .lineWidth(0.4)
      .strokeColor(RULE)
      .stroke();
    this.y += h;
  }

  /** A table whose header is repeated on every page it runs over. */
  table(cols: Column[], rows: { cells: string[]; bold?: boolean; fill?: boolean }[]): void {
    const scale = WIDTH / cols.reduce((s, c) => s + c.width, 0);
    const scaled = cols.map((c) => ({ ...c, width: c.width * scale }));
    this.ensure(ROW_H * 2);
    this.row(
      scaled,
      scaled.map((c) => c.title),
      true,
      HEAD_BG,
    );
    for (const r of rows) {
      if (this.y + this.rowHeight(scaled, r.cells, r.bold ?? false) > BOTTOM) {
        this.ensure(BOTTOM);
        this.row(
          scaled,
          scaled.map((c) => c.title),
          true,
          HEAD_BG,
        );
      }
      this.row(scaled, r.cells, r.bold ?? false, r.fill ? GROUP_BG : null);
    }
    this.y += 6;
  }

  /** Two percentages over the trend's points, with the 0–100 axis drawn. */
  chart(labels: string[], series: { name: string; values: (number | null)[] }[]): void {
    const h = 150;
    this.ensure(h + 30);
    const left = MARGIN + 28;
    const right = MARGIN + WIDTH - 8;
    const top = this.y + 6;
    const bottom = top + h - 24;
    const doc = this.doc;
    doc.font('regular').fontSize(7).fillColor(MUTED);
    for (const v of [0, 25, 50, 75, 100]) {
      const y = bottom - ((bottom - top) * v) / 100;
      doc.moveTo(left, y).lineTo(right, y).lineWidth(0.3).strokeColor(RULE).stroke();
      doc.text(`${v}%`, MARGIN, y - 4, { width: 24, align: 'right', lineBreak: false });
    }
    const n = labels.length;
    const xOf = (i: number) => (n <= 1 ? (left + right) / 2 : left + ((right - left) * i) / (n - 1));
    const every = Math.max(1, Math.ceil(n / 8));
    labels.forEach((l, i) => {
      if (i % every === 0 || i === n - 1) doc.fillColor(MUTED).text(l, xOf(i) - 25, bottom + 4, { width: 50, align: 'center', lineBreak: false });
    });
    series.forEach((s, si) => {
      doc.lineWidth(1.4).strokeColor(CHART[si % CHART.length]!);
      let drawing = false;
      s.values.forEach((v, i) => {
        if (v === null) {
          drawing = false;
          return;
        }
        const y = bottom - ((bottom - top) * Math.max(0, Math.min(100, v))) / 100;
        if (drawing) doc.lineTo(xOf(i), y);
        else doc.moveTo(xOf(i), y);
        drawing = true;
      });
      doc.stroke();
      s.values.forEach((v, i) => {
        if (v !== null) doc.circle(xOf(i), bottom - ((bottom - top) * Math.max(0, Math.min(100, v))) / 100, 1.6).fill(CHART[si % CHART.length]!);
      });
    });
    let lx = left;
    series.forEach((s, si) => {
      doc.rect(lx, bottom + 16, 10, 3).fill(CHART[si % CHART.length]!);
      doc
        .font('regular')
        .fontSize(7.5)
        .fillColor(INK)
        .text(s.name, lx + 14, bottom + 13, { lineBreak: false });
      lx += 24 + doc.widthOfString(s.name);
    });
    this.y = top + h + 4;
  }
}

/** The report as an A4 PDF: II.06a counts, KPIs against their targets, the index, the ranking, the trend and the data's freshness. */
export function renderReportPdf(c: ReportContent): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: { Title: `${c.kindLabel} – ${c.scopeName} – ${c.periodLabel}`, Author: 'Trung tâm điều hành IOC', Subject: c.title },
  });
  doc.registerFont('regular', REGULAR);
  doc.registerFont('bold', BOLD);
  const chunks: Buffer[] = [];
  doc.on('data', (b: Buffer) => chunks.push(b));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const w = new Writer(doc);
  doc.font('bold').fontSize(15).fillColor(INK).text(c.title, MARGIN, w.y, { width: WIDTH, align: 'center' });
  w.y = doc.y + 4;
  doc.font('bold').fontSize(12).text(`${c.scopeName} – ${c.periodLabel}`, MARGIN, w.y, { width: WIDTH, align: 'center' });
  w.y = doc.y + 2;
  doc.font('regular').fontSize(9).fillColor(MUTED).text(`${c.kindLabel} · lập lúc ${c.generatedAt}`, MARGIN, w.y, { width: WIDTH, align: 'center' });
  w.y = doc.y + 10;
  doc.rect(MARGIN, w.y, WIDTH, 0.8).fill(INK);
  w.y += 6;

  w.heading('Độ mới của dữ liệu');
  for (const line of c.freshness) w.paragraph(line);

  w.heading('1. Tình hình giải quyết hồ sơ (Biểu II.06a)');
  w.table(
    [
      { title: 'Chỉ tiêu', width: 380 },
      { title: 'Số hồ sơ', width: 135, align: 'right' },
    ],
    c.counts.map((r) => ({ cells: [r.sub ? `    ${r.label}` : r.label, cell.count(r.value)], bold: !r.sub })),
  );

  w.heading('2. Các chỉ tiêu (kpi-v1) so với mức đạt điểm tối đa');
  w.table(
    [
      { title: 'Chỉ tiêu', width: 190 },
      { title: 'Tử số', width: 60, align: 'right' },
      { title: 'Mẫu số', width: 60, align: 'right' },
      { title: 'Tỷ lệ', width: 60, align: 'right' },
      { title: 'Mức tối đa', width: 70, align: 'right' },
      { title: 'Đánh giá', width: 60, align: 'center' },
    ],
    c.kpis.map((r) => ({
      cells: [r.name, r.numerator === null ? '—' : cell.count(r.numerator), r.denominator === null ? '—' : cell.count(r.denominator), cell.percent(r.value), cell.target(r.target), r.verdict],
    })),
  );
  w.paragraph(
    c.index.score === null
      ? 'Điểm chỉ số kpi-v1 (theo các chỉ tiêu trên, dùng cho xu hướng ở mục 5): chưa có thành phần nào có số liệu trong kỳ.'
      : `Điểm chỉ số kpi-v1: ${cell.percent(c.index.score)} (đạt ${cell.points(c.index.points)} trên ${cell.points(c.index.maxPoints)} điểm của các thành phần có số liệu; theo các chỉ tiêu trên, dùng cho xu hướng ở mục 5).`,
  );

  w.heading('3. Chỉ số phục vụ người dân, doanh nghiệp (kpi-v2)');
  const v2 = c.indexV2;
  if (!v2) w.paragraph('Số liệu lưu của báo cáo này chưa có chỉ số kpi-v2.');
  else {
    w.paragraph(v2.summary, 9.5, INK);
    w.paragraph('Điểm mỗi chỉ tiêu thành phần tính riêng từ tử số và mẫu số của nó; chỉ tiêu chưa có số liệu không được tính điểm đạt hay điểm mất.');
    w.table(
      [
        { title: 'Mã', width: 30 },
        { title: 'Chỉ tiêu thành phần', width: 150, wrap: true },
        { title: 'Tỷ lệ', width: 52, align: 'right' },
        { title: 'Tử số/mẫu số', width: 64, align: 'right', wrap: true },
        { title: 'Điểm', width: 38, align: 'right' },
        { title: 'Tối đa', width: 36, align: 'right' },
        { title: 'Mất', width: 36, align: 'right' },
        { title: 'Nguồn, ghi chú', width: 109, wrap: true },
      ],
      v2.groups.flatMap((g) => [
        { cells: ['', g.name, '', '', cell.points(g.earned), cell.points(g.pmax), cell.points(g.pointsLost), `có số liệu: ${cell.points(g.available)} điểm`], bold: true, fill: true },
        ...g.rows.map((r) => ({
          cells: [r.id, r.name, formatRate(r.rate, r.unit), r.ratio, cell.points(r.points), cell.points(r.pmax), cell.points(r.pointsLost), r.note ? `${r.source}; ${r.note}` : r.source],
        })),
      ]),
    );
  }

  w.heading(c.ranking ? `4. Xếp hạng các ${c.ranking.levelLabel} theo điểm chỉ số kpi-v2` : '4. Xếp hạng');
  if (!c.ranking) w.paragraph('Xã, phường, đặc khu không có đơn vị cấp dưới để xếp hạng.');
  else {
    w.paragraph(c.ranking.basis);
    w.table(
      [
        { title: 'Hạng', width: 34, align: 'right' },
        { title: 'Đơn vị', width: 138 },
        { title: 'Điểm xếp hạng', width: 82, align: 'right' },
        { title: 'Đạt / có số liệu', width: 86, align: 'right' },
        { title: 'Đúng hạn', width: 62, align: 'right' },
        { title: 'Toàn trình', width: 56, align: 'right' },
        { title: 'Tiếp nhận', width: 57, align: 'right' },
      ],
      c.ranking.rows.map((r) => ({
        cells: [
          r.rank === null ? '—' : String(r.rank),
          r.unitName,
          cell.points(r.points),
          r.earned === null || !r.available ? '—' : `${cell.points(r.earned)} / ${cell.points(r.available)}`,
          cell.percent(r.onTime),
          cell.percent(r.fullOnline),
          cell.count(r.received),
        ],
      })),
    );
  }

  w.heading(`5. Xu hướng trong kỳ (theo ${c.trend.grainLabel.toLowerCase()})`);
  const labelOf = (l: string) => (l.length === 10 ? formatDate(l).slice(0, 5) : `${l.slice(5, 7)}/${l.slice(0, 4)}`);
  w.chart(
    c.trend.rows.map((r) => labelOf(r.label)),
    [
      { name: 'Tỷ lệ giải quyết đúng hạn', values: c.trend.rows.map((r) => r.onTime) },
      { name: 'Điểm chỉ số kpi-v1 (%)', values: c.trend.rows.map((r) => r.score) },
    ],
  );
  w.table(
    [
      { title: c.trend.grainLabel, width: 110 },
      { title: 'Tiếp nhận', width: 100, align: 'right' },
      { title: 'Đã giải quyết', width: 100, align: 'right' },
      { title: 'Đúng hạn', width: 100, align: 'right' },
      { title: 'Điểm chỉ số kpi-v1', width: 100, align: 'right' },
    ],
    c.trend.rows.map((r) => ({
      cells: [r.label.length === 10 ? formatDate(r.label) : labelOf(r.label), cell.count(r.received), cell.count(r.resolved), cell.percent(r.onTime), cell.percent(r.score)],
    })),
  );

  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    // The footer sits in the bottom margin; without this pdfkit would start a new page for it.
    doc.page.margins.bottom = 0;
    doc.font('regular').fontSize(7.5).fillColor(MUTED);
    doc.text(`${c.scopeName} – ${c.periodLabel}`, MARGIN, PAGE_H - MARGIN - 8, { width: WIDTH / 2, lineBreak: false, height: 10 });
    doc.text(`Trang ${i + 1}/${range.count}`, MARGIN + WIDTH / 2, PAGE_H - MARGIN - 8, { width: WIDTH / 2, align: 'right', lineBreak: false, height: 10 });
  }
  doc.end();
  return done;
}
