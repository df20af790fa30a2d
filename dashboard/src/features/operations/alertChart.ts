import { type AlertDetail, type Grain, type KpiId, KPI_IDS, type LocalDate, SEVERITIES, type SeriesResponse, type Severity, addDays, localDateOf, startOfLocalDate } from '@ioc/shared';
import type { ChartOption } from '../../lib/charts/echarts';
import { formatHourMinute, formatInstant, formatLocalDate } from '../../lib/format';
import { kpiNameOf } from '../../lib/kpiText';
import { formatRuleValue, severityLabel } from './alertList';
import { type KeysUnder, type TextKey, textsOf } from '../../i18n/keys';

/** What the chart of an alert draws, from the KPI series of its unit. */
export type ChartMeasure = 'kpi' | 'backlog' | 'growth' | 'surge' | 'drop';

export type ChartPlan =
  | { kind: 'series'; measure: ChartMeasure; scope: string; granularity: Extract<Grain, 'hour' | 'day'>; from: LocalDate; to: LocalDate }
  /** Silence is time without data: there is no series to draw. */
  | { kind: 'none'; reason: 'silence' };

/** Longest span the chart asks for, in days (hour series may span at most 31). */
const MAX_DAY_SPAN = 62;

function minDate(a: LocalDate, b: LocalDate): LocalDate {
  return a < b ? a : b;
}

function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((startOfLocalDate(to) - startOfLocalDate(from)) / 86_400_000);
}

/**
 * Which series shows an alert best, around its firing:
 * - a KPI rule: the KPI per day over the rule's window before the firing, up to now (or the day after it cleared);
 * - backlog, growth and surge: per hour (per day where the server no longer keeps the hours), from the day before the firing to two days after (or now);
 * - online drop: the online rate per day over the 4 weeks before the firing, to two days after.
 */
export function chartPlanOf(a: Pick<AlertDetail, 'scope' | 'firedAt' | 'clearedAt' | 'rule'>, now: number, hourlyFrom: LocalDate | null = null): ChartPlan {
  const today = localDateOf(now);
  const fired = localDateOf(Date.parse(a.firedAt));
  const end = a.clearedAt ? minDate(today, addDays(localDateOf(Date.parse(a.clearedAt)), 1)) : today;
  switch (a.rule.kind) {
    case 'silence':
    case 'heartbeat':
      return { kind: 'none', reason: 'silence' };
    case 'kpi': {
      const from = addDays(fired, -(a.rule.windowDays ?? 7));
      const to = daysBetween(from, end) > MAX_DAY_SPAN ? minDate(today, addDays(fired, MAX_DAY_SPAN - (a.rule.windowDays ?? 7))) : end;
      return { kind: 'series', measure: 'kpi', scope: a.scope, granularity: 'day', from, to };
    }
    case 'drop':
      return { kind: 'series', measure: 'drop', scope: a.scope, granularity: 'day', from: addDays(fired, -28), to: minDate(end, addDays(fired, 2)) };
    case 'backlog':
    case 'growth':
    case 'surge': {
      const from = addDays(fired, -1);
      // By day where the server no longer keeps the hours (KPI_HOURLY_RETENTION_DAYS).
      const granularity = hourlyFrom !== null && from < hourlyFrom ? 'day' : 'hour';
      return { kind: 'series', measure: a.rule.kind, scope: a.scope, granularity, from, to: minDate(end, addDays(fired, 2)) };
    }
  }
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function isKpiId(v: string | null): v is KpiId {
  return v !== null && (KPI_IDS as readonly string[]).includes(v);
}

/** Each severity's line: colour, and a dash pattern so the lines differ without colour too. */
const SEVERITY_STYLE: Record<Severity, { color: string; type: 'solid' | 'dashed' | 'dotted' }> = {
  critical: { color: '#a8201a', type: 'solid' },
  major: { color: '#c2410c', type: 'dashed' },
  minor: { color: '#8a6100', type: 'dashed' },
  warning: { color: '#6b5b00', type: 'dotted' },
};

interface Drawn {
  /** [bucket start ms, value] */
  points: [number, number | null][];
  /** Threshold lines in the units of `points`. */
  thresholds: { severity: Severity; value: number }[];
  /** A reference line (the baseline a surge or a drop is measured against). */
  baseline: { value: number; label: string } | null;
  axisName: string;
  seriesName: string;
  bar: boolean;
  unit: AlertDetail['unit'];
}

function thresholdsOf(a: AlertDetail, map: (threshold: number) => number | null): Drawn['thresholds'] {
  const out: Drawn['thresholds'] = [];
  for (const s of SEVERITIES) {
    const v = a.rule.params.thresholds[s];
    const m = v === undefined ? null : map(v);
    if (m !== null && Number.isFinite(m)) out.push({ severity: s, value: Math.round(m * 100) / 100 });
  }
  return out;
}

function drawn(a: AlertDetail, plan: Extract<ChartPlan, { kind: 'series' }>, series: SeriesResponse): Drawn {
  const at = (p: SeriesResponse['points'][number]) => Date.parse(p.start);
  const text = (key: KeysUnder<'operations', 'chart'>, values: Record<string, unknown> = {}) => textsOf('operations')(`chart.${key}`, values);
  switch (plan.measure) {
    case 'kpi': {
      const kpi = isKpiId(a.rule.kpi) ? a.rule.kpi : 'onTime';
      const name = text('kpiPerDay', { kpi: kpiNameOf(kpi) });
      return {
        points: series.points.map((p) => [at(p), p.kpis[kpi].value]),
        thresholds: thresholdsOf(a, (v) => v),
        baseline: null,
        axisName: '%',
        seriesName: name,
        bar: false,
        unit: '%',
      };
    }
    case 'backlog':
      return {
        points: series.points.map((p) => [at(p), p.counts.inProgressOverdue]),
        thresholds: thresholdsOf(a, (v) => v),
        baseline: null,
        axisName: text('axisDossiers'),
        seriesName: text('overduePerHour'),
        bar: false,
        unit: 'hồ sơ',
      };
    case 'growth': {
      // Growth is measured from the overdue count at the start of each local day: the last hour of the day before.
      const endOfDay = new Map<LocalDate, number>();
      for (const p of series.points) endOfDay.set(localDateOf(at(p)), p.counts.inProgressOverdue);
      return {
        points: series.points.map((p) => {
          const before = endOfDay.get(addDays(localDateOf(at(p)), -1));
          return [at(p), before === undefined ? null : p.counts.inProgressOverdue - before];
        }),
        thresholds: thresholdsOf(a, (v) => v),
        baseline: null,
        axisName: text('axisDossiers'),
        seriesName: text('growthPerHour'),
        bar: false,
        unit: 'hồ sơ',
      };
    }
    case 'surge': {
      const base = num(a.firedDetails.hourOfWeekAverage);
      // The rule divides by at least one dossier, so its thresholds are this many dossiers in the hour.
      const divisor = Math.max(base ?? 0, 1);
      return {
        points: series.points.map((p) => [at(p), p.counts.received]),
        thresholds: base === null ? [] : thresholdsOf(a, (v) => v * divisor),
        baseline: base === null ? null : { value: Math.round(base * 100) / 100, label: text('hourAverage') },
        axisName: text('axisDossiers'),
        seriesName: text('receivedPerHour'),
        bar: true,
        unit: 'hồ sơ',
      };
    }
    case 'drop': {
      const base = num(a.firedDetails.baselineRate);
      return {
        points: series.points.map((p) => [at(p), p.kpis.online.value]),
        thresholds: base === null ? [] : thresholdsOf(a, (v) => base - v),
        baseline: base === null ? null : { value: base, label: text('fourWeekRate') },
        axisName: '%',
        seriesName: text('onlinePerDay'),
        bar: false,
        unit: '%',
      };
    }
  }
}

/** An axis label in Vietnam's time (echarts would use the screen's time zone): `"09:00"`, or the date at midnight and on day axes. */
export function axisTimeLabel(ms: number, granularity: 'hour' | 'day'): string {
  const hm = formatHourMinute(ms);
  return granularity === 'day' || hm === '00:00' ? formatLocalDate(localDateOf(ms)).slice(0, 5) : hm;
}

interface TooltipParam {
  value: [number, number | null];
  marker?: string;
  seriesName?: string;
}

/**
 * The chart of an alert: its measure over time, a line per threshold (named by
 * severity, in the measure's units), the firing instant and, when it cleared,
 * the clearing instant; the time it was active is shaded. Its words come from
 * `texts` (a component's `t`, so its option is made again in another language).
 */
export function toAlertChartOption(
  a: AlertDetail,
  plan: Extract<ChartPlan, { kind: 'series' }>,
  series: SeriesResponse,
  texts: (key: TextKey<'operations'>, values?: Record<string, unknown>) => string = textsOf('operations'),
): ChartOption {
  const d = drawn(a, plan, series);
  const text = (key: KeysUnder<'operations', 'chart'>, values: Record<string, unknown> = {}) => texts(`chart.${key}`, values);
  const firedAt = Date.parse(a.firedAt);
  const clearedAt = a.clearedAt ? Date.parse(a.clearedAt) : null;
  const bucketMs = plan.granularity === 'hour' ? 3_600_000 : 86_400_000;
  // The last bucket reaches to its end; the firing may be later than its start.
  const lastX = Math.max(d.points.length ? d.points[d.points.length - 1]![0] + bucketMs : firedAt, firedAt, clearedAt ?? firedAt);
  const firstX = d.points.length ? d.points[0]![0] : firedAt - bucketMs;
  // Room on the right for the label of a firing at the end of the axis.
  const maxX = lastX + (lastX - firstX) * 0.04;

  const markLineData: Record<string, unknown>[] = [
    ...d.thresholds.map((th) => ({
      name: severityLabel(th.severity),
      yAxis: th.value,
      lineStyle: { color: SEVERITY_STYLE[th.severity].color, type: SEVERITY_STYLE[th.severity].type, width: 1.5 },
      label: { formatter: `${severityLabel(th.severity)}: ${formatRuleValue(th.value, d.unit)}`, position: 'insideEndTop', color: SEVERITY_STYLE[th.severity].color },
    })),
    ...(d.baseline
      ? [
          {
            name: d.baseline.label,
            yAxis: d.baseline.value,
            lineStyle: { color: '#4d5968', type: 'dashed', width: 1 },
            label: { formatter: `${d.baseline.label}: ${formatRuleValue(d.baseline.value, d.unit)}`, position: 'insideStartTop', color: '#4d5968' },
          },
        ]
      : []),
    {
      name: text('fired'),
      xAxis: firedAt,
      lineStyle: { color: '#16202c', type: 'solid', width: 2 },
      label: { formatter: text('firedAt', { time: formatHourMinute(firedAt) }), position: 'end', color: '#16202c' },
    },
    ...(clearedAt !== null
      ? [
          {
            name: text('cleared'),
            xAxis: clearedAt,
            lineStyle: { color: '#1e8e3e', type: 'dashed', width: 2 },
            label: { formatter: text('clearedAt', { time: formatHourMinute(clearedAt) }), position: 'end', color: '#1e6b32' },
          },
        ]
      : []),
  ];

  return {
    animation: false,
    grid: { left: 56, right: 40, top: 40, bottom: 40 },
    tooltip: {
      trigger: 'axis',
      formatter: (raw: unknown) => {
        const params = raw as TooltipParam | TooltipParam[];
        const list = Array.isArray(params) ? params : [params];
        const x = list[0]?.value[0];
        if (x === undefined) return '';
        const when = plan.granularity === 'day' ? formatLocalDate(localDateOf(x)) : formatInstant(x).replace(/:\d{2}(?= )/, '');
        return [when, ...list.map((p) => `${p.marker ?? ''}${p.seriesName ?? ''}: ${formatRuleValue(p.value[1], d.unit)}`)].join('<br/>');
      },
    },
    legend: { show: false },
    xAxis: { type: 'time', min: firstX, max: maxX, axisLabel: { formatter: (v: number) => axisTimeLabel(v, plan.granularity), hideOverlap: true } },
    yAxis: { type: 'value', name: d.axisName, scale: d.unit === '%', nameTextStyle: { align: 'right' } },
    series: [
      {
        type: d.bar ? 'bar' : 'line',
        name: d.seriesName,
        data: d.points,
        ...(d.bar
          ? { barMaxWidth: 14, itemStyle: { color: '#2f7fd0' } }
          : { showSymbol: plan.granularity === 'day', connectNulls: false, lineStyle: { width: 2, color: '#0b57a4' }, itemStyle: { color: '#0b57a4' } }),
        markLine: { symbol: 'none', silent: true, data: markLineData },
        markArea: {
          silent: true,
          itemStyle: { color: 'rgba(168, 32, 26, 0.07)' },
          label: { show: false },
          data: [[{ name: text('activePeriod'), xAxis: firedAt }, { xAxis: clearedAt ?? lastX }]],
        },
      },
    ],
  } as ChartOption;
}
