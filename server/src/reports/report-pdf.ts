import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { SERVER_ROOT } from '../config/config.js';
import { type ReportContent, cell } from './content.js';
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
const CHART = ['#1f5fa8', '#c0392b'];

interface Column {
  title: string;
  width: number;
  align?: 'left' | 'right' | 'center';
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

  private row(cols: Column[], cells: string[], bold: boolean, fill: string | null): void {
    this.ensure(ROW_H);
    if (fill) this.doc.rect(MARGIN, this.y, WIDTH, ROW_H).fill(fill);
    this.doc.font(bold ? 'bold' : 'regular').fontSize(8.5).fillColor(INK);
    let x = MARGIN;
    cols.forEach((c, i) => {
      const text = fit(this.doc, cells[i] ?? '', c.width - 6);
      this.doc.text(text, x + 3, this.y + 3.5, { width: c.width - 6, align: c.align ?? 'left', lineBreak: false });
      x += c.width;
    });
    this.doc.moveTo(MARGIN, this.y + ROW_H).lineTo(MARGIN + WIDTH, this.y + ROW_H).lineWidth(0.4).strokeColor(RULE).stroke();
    this.y += ROW_H;
  }

  /** A table whose header is repeated on every page it runs over. */
  table(cols: Column[], rows: { cells: string[]; bold?: boolean }[]): void {
    const scale = WIDTH / cols.reduce((s, c) => s + c.width, 0);
    const scaled = cols.map((c) => ({ ...c, width: c.width * scale }));
    this.ensure(ROW_H * 2);
    this.row(scaled, scaled.map((c) => c.title), true, HEAD_BG);
    for (const r of rows) {
      if (this.y + ROW_H > BOTTOM) {
        this.ensure(BOTTOM);
        this.row(scaled, scaled.map((c) => c.title), true, HEAD_BG);
      }
      this.row(scaled, r.cells, r.bold ?? false, null);
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
      doc.font('regular').fontSize(7.5).fillColor(INK).text(s.name, lx + 14, bottom + 13, { lineBreak: false });
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

  w.heading('3. Chỉ số phục vụ người dân, doanh nghiệp');
  w.paragraph(
    c.index.score === null
      ? 'Chưa có thành phần nào có số liệu trong kỳ.'
      : `Điểm chỉ số: ${cell.percent(c.index.score)} (đạt ${cell.points(c.index.points)} trên ${cell.points(c.index.maxPoints)} điểm của các thành phần có số liệu).`,
    9.5,
    INK,
  );
  w.table(
    [
      { title: 'Thành phần', width: 150 },
      { title: 'Theo chỉ tiêu', width: 170 },
      { title: 'Điểm tối đa', width: 65, align: 'right' },
      { title: 'Điểm đạt', width: 65, align: 'right' },
      { title: 'Điểm mất', width: 65, align: 'right' },
    ],
    c.index.rows.map((r) => ({ cells: [r.name, r.kpiName, cell.points(r.maxPoints), cell.points(r.points), cell.points(r.lost)] })),
  );

  w.heading(c.ranking ? `4. Xếp hạng các ${c.ranking.levelLabel} theo điểm chỉ số` : '4. Xếp hạng');
  if (!c.ranking) w.paragraph('Xã, phường, đặc khu không có đơn vị cấp dưới để xếp hạng.');
  else
    w.table(
      [
        { title: 'Hạng', width: 38, align: 'right' },
        { title: 'Đơn vị', width: 170 },
        { title: 'Điểm chỉ số', width: 65, align: 'right' },
        { title: 'Điểm', width: 72, align: 'right' },
        { title: 'Đúng hạn', width: 60, align: 'right' },
        { title: 'Toàn trình', width: 60, align: 'right' },
        { title: 'Tiếp nhận', width: 55, align: 'right' },
      ],
      c.ranking.rows.map((r) => ({
        cells: [r.rank === null ? '—' : String(r.rank), r.unitName, cell.percent(r.score), `${cell.points(r.points)}/${cell.points(r.maxPoints)}`, cell.percent(r.onTime), cell.percent(r.fullOnline), cell.count(r.received)],
      })),
    );

  w.heading(`5. Xu hướng trong kỳ (theo ${c.trend.grainLabel.toLowerCase()})`);
  const labelOf = (l: string) => (l.length === 10 ? formatDate(l).slice(0, 5) : `${l.slice(5, 7)}/${l.slice(0, 4)}`);
  w.chart(
    c.trend.rows.map((r) => labelOf(r.label)),
    [
      { name: 'Tỷ lệ giải quyết đúng hạn', values: c.trend.rows.map((r) => r.onTime) },
      { name: 'Điểm chỉ số', values: c.trend.rows.map((r) => r.score) },
    ],
  );
  w.table(
    [
      { title: c.trend.grainLabel, width: 110 },
      { title: 'Tiếp nhận', width: 100, align: 'right' },
      { title: 'Đã giải quyết', width: 100, align: 'right' },
      { title: 'Đúng hạn', width: 100, align: 'right' },
      { title: 'Điểm chỉ số', width: 100, align: 'right' },
    ],
    c.trend.rows.map((r) => ({ cells: [r.label.length === 10 ? formatDate(r.label) : labelOf(r.label), cell.count(r.received), cell.count(r.resolved), cell.percent(r.onTime), cell.percent(r.score)] })),
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
