import type { KpiId } from '../kpi/catalogue.js';

/** Alert severities, most severe first. */
export const SEVERITIES = ['critical', 'major', 'minor', 'warning'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SEVERITY_VI: Record<Severity, string> = { critical: 'Nghiêm trọng', major: 'Cao', minor: 'Trung bình', warning: 'Lưu ý' };

/** Rank of a severity: higher is more severe. */
export function severityRank(s: Severity | null): number {
  return s === null ? 0 : SEVERITIES.length - SEVERITIES.indexOf(s);
}

/**
 * What a rule measures, per unit:
 * - `kpi`: a KPI's percentage over the last `windowDays` days (today included);
 * - `backlog`: dossiers in progress and overdue, now;
 * - `growth`: how many more overdue dossiers there are now than at the start of the day;
 * - `silence`: working minutes since the unit last delivered an event, for units that normally report;
 * - `surge`: dossiers received this hour over the unit's average for the same hour of the week (4 weeks);
 * - `drop`: points the online filing rate today is below its rate over the previous 4 weeks;
 * - `heartbeat`: working minutes since the commune's relay (or other heartbeat source) was last heard,
 *   for communes that have one (heard within HEARTBEAT_SOURCE_DAYS); a commune without a heartbeat
 *   source is not measured, so only `silence` speaks for it.
 */
export const RULE_KINDS = ['kpi', 'backlog', 'growth', 'silence', 'surge', 'drop', 'heartbeat'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];
export type RuleLevel = 'commune' | 'province';

export interface RuleParams {
  /** A unit with a value on this side of a threshold is in that severity: `below` for rates that should be high. */
  direction: 'below' | 'above';
  /** Per severity; any may be absent. */
  thresholds: Partial<Record<Severity, number>>;
  /** An alert clears only once the value is this far past the mildest threshold (hysteresis). */
  hysteresis: number;
  /** The condition must hold this long before an alert fires. */
  pendingMinutes: number;
  /** The value must stay past the hysteresis band this long before an alert clears. */
  clearMinutes: number;
  /** Fewer dossiers than this in the measure's denominator is "no data", not a value. */
  minVolume: number;
  enabled: boolean;
}

export interface RuleDefinition {
  id: string;
  kind: RuleKind;
  level: RuleLevel;
  /** For `kpi` rules. */
  kpi?: KpiId;
  /** For `kpi` rules: the rolling window. */
  windowDays?: number;
  nameVi: string;
  nameEn: string;
  /** The unit of the measured value, for display. */
  unit: '%' | 'hồ sơ' | 'phút' | '×' | 'điểm %';
  defaults: RuleParams;
}

/** A commune whose last heartbeat is older than this no longer counts as having a heartbeat source. */
export const HEARTBEAT_SOURCE_DAYS = 14;

const base = { hysteresis: 0, pendingMinutes: 0, clearMinutes: 0, minVolume: 1, enabled: true };

/** The rules every commune and province gets; provinces and communes adjust them with overrides. */
export const DEFAULT_RULES: readonly RuleDefinition[] = [
  {
    id: 'commune-on-time-7d',
    kind: 'kpi',
    level: 'commune',
    kpi: 'onTime',
    windowDays: 7,
    nameVi: 'Tỷ lệ giải quyết đúng hạn 7 ngày thấp',
    nameEn: 'Low on-time processing over 7 days',
    unit: '%',
    defaults: { ...base, direction: 'below', thresholds: { warning: 95, critical: 90 }, hysteresis: 1, pendingMinutes: 30, clearMinutes: 30, minVolume: 10 },
  },
  {
    id: 'province-on-time-7d',
    kind: 'kpi',
    level: 'province',
    kpi: 'onTime',
    windowDays: 7,
    nameVi: 'Tỷ lệ giải quyết đúng hạn 7 ngày của tỉnh thấp',
    nameEn: 'Low provincial on-time processing over 7 days',
    unit: '%',
    defaults: { ...base, direction: 'below', thresholds: { warning: 97, major: 95, critical: 90 }, hysteresis: 0.5, pendingMinutes: 30, clearMinutes: 30, minVolume: 100 },
  },
  {
    id: 'province-full-online-30d',
    kind: 'kpi',
    level: 'province',
    kpi: 'fullOnline',
    windowDays: 30,
    nameVi: 'Tỷ lệ trực tuyến toàn trình 30 ngày dưới chỉ tiêu',
    nameEn: 'Full-process online filing over 30 days below target',
    unit: '%',
    defaults: { ...base, direction: 'below', thresholds: { warning: 50, major: 40 }, hysteresis: 1, pendingMinutes: 60, clearMinutes: 60, minVolume: 100 },
  },
  {
    id: 'commune-overdue-backlog',
    kind: 'backlog',
    level: 'commune',
    nameVi: 'Tồn đọng hồ sơ quá hạn',
    nameEn: 'Backlog of overdue dossiers',
    unit: 'hồ sơ',
    defaults: { ...base, direction: 'above', thresholds: { warning: 20, major: 50, critical: 100 }, hysteresis: 5, pendingMinutes: 15, clearMinutes: 30, minVolume: 0 },
  },
  {
    id: 'province-overdue-backlog',
    kind: 'backlog',
    level: 'province',
    nameVi: 'Tồn đọng hồ sơ quá hạn của tỉnh',
    nameEn: 'Provincial backlog of overdue dossiers',
    unit: 'hồ sơ',
    defaults: { ...base, direction: 'above', thresholds: { warning: 1000, major: 2500, critical: 5000 }, hysteresis: 100, pendingMinutes: 15, clearMinutes: 30, minVolume: 0 },
  },
  {
    id: 'commune-overdue-growth',
    kind: 'growth',
    level: 'commune',
    nameVi: 'Hồ sơ quá hạn tăng nhanh trong ngày',
    nameEn: 'Overdue dossiers growing fast today',
    unit: 'hồ sơ',
    defaults: { ...base, direction: 'above', thresholds: { warning: 10, major: 25 }, hysteresis: 3, pendingMinutes: 15, clearMinutes: 30, minVolume: 0 },
  },
  {
    id: 'commune-silence',
    kind: 'silence',
    level: 'commune',
    nameVi: 'Xã không gửi dữ liệu',
    nameEn: 'Commune sends no data',
    unit: 'phút',
    defaults: { ...base, direction: 'above', thresholds: { warning: 90, major: 180, critical: 480 }, hysteresis: 0, pendingMinutes: 0, clearMinutes: 0, minVolume: 1 },
  },
  {
    id: 'commune-no-heartbeat',
    kind: 'heartbeat',
    level: 'commune',
    nameVi: 'Mất tín hiệu kết nối của xã trong giờ làm việc',
    nameEn: 'No heartbeat from the commune in working hours',
    unit: 'phút',
    defaults: { ...base, direction: 'above', thresholds: { warning: 30, major: 120, critical: 240 }, hysteresis: 0, pendingMinutes: 0, clearMinutes: 0, minVolume: 1 },
  },
  {
    id: 'commune-receipt-surge',
    kind: 'surge',
    level: 'commune',
    nameVi: 'Tiếp nhận tăng đột biến',
    nameEn: 'Surge in dossiers received',
    unit: '×',
    defaults: { ...base, direction: 'above', thresholds: { warning: 3, major: 5 }, hysteresis: 0.5, pendingMinutes: 0, clearMinutes: 30, minVolume: 10 },
  },
  {
    id: 'commune-online-drop',
    kind: 'drop',
    level: 'commune',
    nameVi: 'Tỷ lệ hồ sơ trực tuyến hôm nay giảm mạnh',
    nameEn: 'Online filing today far below its 4-week rate',
    unit: 'điểm %',
    defaults: { ...base, direction: 'above', thresholds: { warning: 20, major: 35 }, hysteresis: 5, pendingMinutes: 30, clearMinutes: 30, minVolume: 10 },
  },
];

/** A rule's parameters for one unit: defaults, then the province's override, then the commune's. */
export function effectiveParams(rule: RuleDefinition, ...overrides: (Partial<RuleParams> | undefined)[]): RuleParams {
  let p: RuleParams = rule.defaults;
  for (const o of overrides) if (o) p = { ...p, ...o, thresholds: o.thresholds ? { ...o.thresholds } : p.thresholds };
  return p;
}

/** The severity a value falls in, or null when it is within every threshold. */
export function severityOf(value: number, p: RuleParams): Severity | null {
  for (const s of SEVERITIES) {
    const t = p.thresholds[s];
    if (t === undefined) continue;
    if (p.direction === 'below' ? value < t : value > t) return s;
  }
  return null;
}

/** True when the value is past the mildest threshold by the hysteresis band: an alert may clear. */
export function isClear(value: number, p: RuleParams): boolean {
  const ts = Object.values(p.thresholds).filter((t): t is number => t !== undefined);
  if (ts.length === 0) return true;
  return p.direction === 'below' ? value >= Math.max(...ts) + p.hysteresis : value <= Math.min(...ts) - p.hysteresis;
}
