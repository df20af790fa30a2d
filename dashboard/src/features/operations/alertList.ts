import { type AlertSummary, type RuleParams, SEVERITIES, type Severity, severityRank } from '@ioc/shared';
import { t } from '../../i18n';
import type { CsvColumn } from '../../lib/csv';
import { NO_VALUE, formatCount, formatDecimal, formatPercent } from '../../lib/format';
import { kpiName } from '../../lib/kpiText';
import type { KeysUnder } from '../../i18n/keys';

/** The unit a rule measures in (`%`, `hồ sơ`, `phút`, `×`, `điểm %`). */
export type RuleUnit = AlertSummary['unit'];

export type StateFilter = 'all' | 'active' | 'cleared';
export type AckFilter = 'all' | 'acknowledged' | 'unacknowledged';

export interface AlertFilters {
  /** Empty: every severity. */
  severities: readonly Severity[];
  state: StateFilter;
  ack: AckFilter;
  /** Matched against the unit, its province and the rule, without regard to case or diacritics. */
  text: string;
  /** Only the alerts assigned to the signed-in person. */
  mine: boolean;
}

export const NO_FILTERS: AlertFilters = { severities: [], state: 'all', ack: 'all', text: '', mine: false };

/** The address parameters of the filters: `sev=critical,major&state=active&ack=unacknowledged&q=ba%20dinh&mine=1`. */
export const FILTER_PARAMS = ['sev', 'state', 'ack', 'q', 'mine'] as const;

/** The filters an address names; what it does not name (or names wrongly) is not filtered. */
export function filtersFromParams(params: URLSearchParams): AlertFilters {
  const sev = (params.get('sev') ?? '').split(',');
  const state = params.get('state');
  const ack = params.get('ack');
  return {
    severities: SEVERITIES.filter((s) => sev.includes(s)),
    state: state === 'active' || state === 'cleared' ? state : 'all',
    ack: ack === 'acknowledged' || ack === 'unacknowledged' ? ack : 'all',
    text: params.get('q') ?? '',
    mine: params.get('mine') === '1',
  };
}

/** The filters as address parameters (undefined: left out). */
export function filterParams(f: AlertFilters): Record<(typeof FILTER_PARAMS)[number], string | undefined> {
  return {
    sev: f.severities.length ? f.severities.join(',') : undefined,
    state: f.state === 'all' ? undefined : f.state,
    ack: f.ack === 'all' ? undefined : f.ack,
    q: f.text === '' ? undefined : f.text,
    mine: f.mine ? '1' : undefined,
  };
}

export function isFiltered(f: AlertFilters): boolean {
  return f.severities.length > 0 || f.state !== 'all' || f.ack !== 'all' || f.text.trim() !== '' || f.mine;
}

/** `"Phường Ba Đình"` → `"phuong ba dinh"`: operators type without diacritics at night. */
export function foldText(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** `me`: the signed-in person's username, for the "assigned to me" filter. */
export function matchesFilters(a: AlertSummary, f: AlertFilters, provinceName: (code: string) => string | null = () => null, me: string | null = null): boolean {
  if (f.mine && (me === null || a.assignee !== me)) return false;
  if (f.severities.length && !f.severities.includes(a.severity)) return false;
  if (f.state !== 'all' && a.status !== f.state) return false;
  if (f.ack === 'acknowledged' && !a.acknowledged) return false;
  if (f.ack === 'unacknowledged' && a.acknowledged) return false;
  const q = foldText(f.text);
  if (!q) return true;
  const haystack = foldText([a.unitName, a.unitCode, provinceName(a.provinceCode) ?? '', a.ruleNameVi, a.ruleNameEn, a.ruleId].join(' | '));
  return q.split(' ').every((word) => haystack.includes(word));
}

/** Active first, then the most severe, then the newest (the server's order, so live and paged lists agree). */
export function compareAlerts(a: AlertSummary, b: AlertSummary): number {
  if (a.status !== b.status) return a.status === 'active' ? -1 : 1;
  const bySeverity = severityRank(b.severity) - severityRank(a.severity);
  if (bySeverity !== 0) return bySeverity;
  const byTime = Date.parse(b.firedAt) - Date.parse(a.firedAt);
  if (byTime !== 0) return byTime;
  return Number(b.id) - Number(a.id);
}

export function filterAndSort(alerts: readonly AlertSummary[], f: AlertFilters, provinceName?: (code: string) => string | null, me: string | null = null): AlertSummary[] {
  return alerts.filter((a) => matchesFilters(a, f, provinceName, me)).sort(compareAlerts);
}

export function severityCounts(alerts: readonly AlertSummary[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const a of alerts) counts[a.severity]++;
  return counts;
}

const MINUTE = 60_000;

/**
 * How long ago, in words: `"vừa xong"`, `"12 phút"`, `"3 giờ 5 phút"`, `"2 ngày 4 giờ"`
 * (en: `"just now"`, `"12 min"`, `"3 h 5 min"`, `"2 days 4 h"`). Whole minutes, rounded down.
 */
export function formatAge(fromMs: number, nowMs: number): string {
  const minutes = Math.max(0, Math.floor((nowMs - fromMs) / MINUTE));
  const text = (key: KeysUnder<'operations', 'age'>, values: Record<string, unknown>) => t(`age.${key}`, { ns: 'operations', ...values });
  if (minutes < 1) return text('now', {});
  if (minutes < 60) return text('minutes', { m: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    const m = minutes % 60;
    return m === 0 ? text('hours', { h: hours }) : text('hoursMinutes', { h: hours, m });
  }
  const days = Math.floor(hours / 24);
  const h = hours % 24;
  return h === 0 ? text('days', { count: days, d: days }) : text('daysHours', { count: days, d: days, h });
}

/** How long ago, as a phrase: `"vừa xong"`, `"12 phút trước"` (en: `"just now"`, `"12 min ago"`). */
export function formatAgo(fromMs: number, nowMs: number): string {
  if (nowMs - fromMs < MINUTE) return t('age.now', { ns: 'operations' });
  return t('age.ago', { ns: 'operations', age: formatAge(fromMs, nowMs) });
}

/** A rule's value in its unit: `"89,50%"`, `"63 hồ sơ"`, `"95 phút làm việc"`, `"3,50×"`, `"22,40 điểm %"`. */
export function formatRuleValue(value: number | null | undefined, unit: RuleUnit): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return NO_VALUE;
  switch (unit) {
    case '%':
      return formatPercent(value);
    case 'hồ sơ':
      return t('unit.dossiers', { ns: 'operations', count: value, n: formatCount(value) });
    case 'phút':
      return t('unit.minutes', { ns: 'operations', count: value, n: formatCount(value) });
    case '×':
      return t('unit.times', { ns: 'operations', n: formatDecimal(value) });
    case 'điểm %':
      return t('unit.points', { ns: 'operations', n: formatDecimal(value) });
  }
}

/** The threshold of a severity as a condition: `"< 90,00%"`, `"> 100 hồ sơ"`; null when the rule has none for it. */
export function formatThreshold(params: Pick<RuleParams, 'direction' | 'thresholds'>, severity: Severity, unit: RuleUnit): string | null {
  const v = params.thresholds[severity];
  if (v === undefined) return null;
  return `${params.direction === 'below' ? '<' : '>'} ${formatRuleValue(v, unit)}`;
}

/** The rule's name in the current language. */
export function ruleName(a: Pick<AlertSummary, 'ruleNameVi' | 'ruleNameEn'>): string {
  return kpiName({ nameVi: a.ruleNameVi, nameEn: a.ruleNameEn });
}

export function severityLabel(s: Severity): string {
  return t(`severity.${s}`, { ns: 'operations' });
}

/** "đang hoạt động" / "đã hết", then who acknowledged it. */
export function stateLabel(a: Pick<AlertSummary, 'status' | 'acknowledged' | 'acknowledgedBy'>): string {
  const status = t(`state.${a.status}`, { ns: 'operations' });
  if (!a.acknowledged) return status;
  return `${status} · ${t('state.acknowledgedBy', { ns: 'operations', who: a.acknowledgedBy ?? '—' })}`;
}

/** The CSV of a list: one alert a row, figures as plain numbers in the rule's unit, times as dates in Vietnam's time, codes as text. */
export function alertCsvColumns(provinceName: (code: string) => string | null): CsvColumn<AlertSummary>[] {
  const h = (key: KeysUnder<'operations', 'csv'>) => t(`csv.${key}`, { ns: 'operations' });
  return [
    { header: h('id'), value: (a) => a.id },
    { header: h('severity'), value: (a) => severityLabel(a.severity) },
    { header: h('rule'), value: (a) => ruleName(a) },
    { header: h('unitCode'), value: (a) => a.unitCode, kind: 'text' },
    { header: h('unit'), value: (a) => a.unitName },
    { header: h('province'), value: (a) => provinceName(a.provinceCode) ?? a.provinceCode },
    { header: h('status'), value: (a) => t(`state.${a.status}`, { ns: 'operations' }) },
    { header: h('acknowledgedBy'), value: (a) => a.acknowledgedBy ?? '' },
    { header: h('assignee'), value: (a) => (a.assignee ? `${a.assigneeName ?? a.assignee} (${a.assignee})` : '') },
    { header: h('firedAt'), value: (a) => a.firedAt, kind: 'datetime' },
    { header: h('clearedAt'), value: (a) => a.clearedAt, kind: 'datetime' },
    { header: h('firedValue'), value: (a) => a.firedValue },
    { header: h('lastValue'), value: (a) => a.lastValue },
    { header: h('valueUnit'), value: (a) => a.unit },
  ];
}
