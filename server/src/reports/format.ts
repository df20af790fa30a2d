import { DAY_MS, type LocalDate, localDateTimeOf, startOfLocalDate } from '@ioc/shared';

/**
 * Vietnamese formats for the reports and the digest, the same as the dashboard's Vietnamese
 * texts: a dot between thousands (1.234), a comma before decimals (52,30%), dates
 * dd/mm/yyyy and times in Asia/Ho_Chi_Minh.
 */
export function formatCount(n: number): string {
  const s = String(Math.abs(Math.trunc(n))).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return n < 0 ? `−${s}` : s;
}

/** A value with 2 decimals and a decimal comma; null is a dash, never 0. */
export function formatNumber(v: number | null): string {
  if (v === null) return '—';
  const [int, dec] = Math.abs(v).toFixed(2).split('.');
  return `${v < 0 ? '−' : ''}${formatCount(Number(int))},${dec}`;
}

export function formatPercent(v: number | null): string {
  return v === null ? '—' : `${formatNumber(v)}%`;
}

/** A change in percentage points, with its direction in words as well as a sign. */
export function formatPointChange(delta: number): string {
  return `${delta > 0 ? '+' : delta < 0 ? '−' : '±'}${formatNumber(Math.abs(delta))}`;
}

export function formatDate(d: LocalDate): string {
  return `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;
}

/** `HH:mm dd/mm/yyyy` in Vietnam's time. */
export function formatDateTime(ms: number): string {
  const t = localDateTimeOf(ms);
  return `${t.slice(11, 16)} ${formatDate(t.slice(0, 10))}`;
}

const ROMAN = ['I', 'II', 'III', 'IV'];

/** "Tháng 01/2026", "Quý I/2026", or "Từ 05/01/2026 đến 18/01/2026". */
export function periodLabel(from: LocalDate, to: LocalDate): string {
  const last = (d: LocalDate) => new Date(startOfLocalDate(d) + DAY_MS + 7 * 3_600_000).getUTCDate() === 1;
  if (from.slice(8) === '01' && last(to)) {
    const months = (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7)) + 1;
    if (months === 1) return `Tháng ${from.slice(5, 7)}/${from.slice(0, 4)}`;
    const m = Number(from.slice(5, 7));
    if (months === 3 && (m - 1) % 3 === 0) return `Quý ${ROMAN[(m - 1) / 3]}/${from.slice(0, 4)}`;
  }
  return from === to ? `Ngày ${formatDate(from)}` : `Từ ${formatDate(from)} đến ${formatDate(to)}`;
}

/** HTML text: the digest's names come from the reference data and the database. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
