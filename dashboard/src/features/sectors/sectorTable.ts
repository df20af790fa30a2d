import type { BreakdownFigures, ProcedureBreakdown, SectorBreakdown } from '@ioc/shared';
import { t } from '../../i18n';
import type { CsvColumn } from '../../lib/csv';

/** The columns a breakdown sorts by; `name` is the sector's name or the procedure's code. */
export const SORT_KEYS = ['name', 'received', 'resolved', 'resolvedOnTime', 'resolvedLate', 'onTimeRate', 'inProgress', 'overdue', 'meanProcessingDays'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = 'asc' | 'desc';
export type FigureKey = Exclude<SortKey, 'name'>;
export const FIGURE_KEYS = SORT_KEYS.filter((k): k is FigureKey => k !== 'name');

export function sortKeyOf(v: string | null): SortKey {
  return SORT_KEYS.find((k) => k === v) ?? 'received';
}

/** Sorted by a column; a missing figure (no rate without resolved dossiers) comes last either way; ties by name. */
export function sortRows<R extends BreakdownFigures>(rows: readonly R[], key: SortKey, dir: SortDir, nameOf: (r: R) => string): R[] {
  const sign = dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    if (key === 'name') return sign * nameOf(a).localeCompare(nameOf(b), 'vi');
    const x = a[key];
    const y = b[key];
    if (x === null || y === null) return x === y ? nameOf(a).localeCompare(nameOf(b), 'vi') : x === null ? 1 : -1;
    return sign * (x - y) || nameOf(a).localeCompare(nameOf(b), 'vi');
  });
}

/** A procedure as exported: with its sector. */
export type ProcedureRow = ProcedureBreakdown & { sector: string };

export function procedureRows(sectors: readonly SectorBreakdown[]): ProcedureRow[] {
  return sectors.flatMap((s) => s.procedures.map((p) => ({ ...p, sector: s.sector })));
}

function figureColumns<R extends BreakdownFigures>(): CsvColumn<R>[] {
  return FIGURE_KEYS.map((k) => ({ header: t(`col.${k}`, { ns: 'sectors' }), value: (r: R) => r[k] }));
}

/** One sector a row: its name and figures (rates in %, times in days, as numbers). */
export function sectorColumns(): CsvColumn<SectorBreakdown>[] {
  return [{ header: t('export.sector', { ns: 'sectors' }), value: (s) => s.sector }, ...figureColumns<SectorBreakdown>()];
}

/** One procedure a row, with its sector; procedure codes as text (1.001193 is not a number). */
export function procedureColumns(): CsvColumn<ProcedureRow>[] {
  return [
    { header: t('export.sector', { ns: 'sectors' }), value: (p) => p.sector },
    { header: t('export.procedure', { ns: 'sectors' }), value: (p) => p.procedureCode, kind: 'text' },
    ...figureColumns<ProcedureRow>(),
  ];
}
