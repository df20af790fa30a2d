import { type LocalDate, type RankingEntry, addDays } from '@ioc/shared';
import type { ChartOption } from '../../lib/charts/echarts';

/** How many months the rank history covers, the current one included. */
export const HISTORY_MONTHS = 6;

export interface MonthRange {
  /** `YYYY-MM`. */
  month: string;
  from: LocalDate;
  /** The month's last day, or today for the current month. */
  to: LocalDate;
  /** True for the month still running: its rank still moves. */
  current: boolean;
}

function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const i = y * 12 + (m - 1) + by;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

/** The last `n` months up to the one holding `today` (a Vietnam local date), oldest first. */
export function lastMonths(today: LocalDate, n = HISTORY_MONTHS): MonthRange[] {
  const current = today.slice(0, 7);
  return Array.from({ length: n }, (_, i) => {
    const month = shiftMonth(current, i - (n - 1));
    const isCurrent = month === current;
    return { month, from: `${month}-01`, to: isCurrent ? today : addDays(`${shiftMonth(month, 1)}-01`, -1), current: isCurrent };
  });
}

export interface RankPoint {
  month: string;
  current: boolean;
  /** The commune's rank at the month's end; null when it had no score (or the month could not be read). */
  rank: number | null;
  /** Units with a rank that month. */
  ranked: number;
  score: number | null;
}

/** Rank and number of ranked units of `code` in one month's ranking. */
export function rankIn(entries: readonly RankingEntry[], code: string): { rank: number | null; ranked: number; score: number | null } {
  const own = entries.find((e) => e.unitCode === code);
  return { rank: own?.rank ?? null, ranked: entries.filter((e) => e.rank !== null).length, score: own?.value ?? null };
}

/** One point per month, oldest first; a month whose ranking is missing has no rank (a gap in the line). */
export function assembleHistory(months: readonly MonthRange[], rankings: ReadonlyMap<string, readonly RankingEntry[]>, code: string): RankPoint[] {
  return months.map((m) => {
    const entries = rankings.get(m.month);
    return { month: m.month, current: m.current, ...(entries ? rankIn(entries, code) : { rank: null, ranked: 0, score: null }) };
  });
}

export interface RankHistoryLabels {
  /** `2025-11` → "11/2025". */
  month: (p: RankPoint) => string;
  /** Tooltip line: "Hạng 5/126". */
  rank: (p: RankPoint) => string;
  series: string;
}

/** The rank over the months, 1 on top (the y-axis inverted), whole ranks only; gaps where unranked. */
export function toRankHistoryOption(points: readonly RankPoint[], l: RankHistoryLabels): ChartOption {
  const maxRanked = Math.max(1, ...points.map((p) => p.ranked));
  return {
    animation: false,
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    tooltip: {
      trigger: 'axis',
      formatter: (params: unknown) => {
        const first = (Array.isArray(params) ? params[0] : params) as { dataIndex?: number } | undefined;
        const p = first?.dataIndex === undefined ? undefined : points[first.dataIndex];
        return p ? `${l.month(p)}<br/>${l.rank(p)}` : '';
      },
    },
    xAxis: { type: 'category', boundaryGap: false, data: points.map((p) => l.month(p)), axisLabel: { fontSize: 11 } },
    yAxis: { type: 'value', inverse: true, min: 1, max: maxRanked, minInterval: 1, axisLabel: { fontSize: 11 } },
    series: [
      {
        type: 'line',
        name: l.series,
        data: points.map((p) => p.rank ?? '-'),
        connectNulls: false,
        symbolSize: 7,
        lineStyle: { width: 2, color: '#0b57a4' },
        itemStyle: { color: '#0b57a4' },
        label: { show: true, position: 'top', fontSize: 11, formatter: (x: { value: unknown }) => (typeof x.value === 'number' ? String(x.value) : '') },
      },
    ],
  };
}
