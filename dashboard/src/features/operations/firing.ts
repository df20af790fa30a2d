import { type AlertDetail, type AlertEventEntry, type KpiId, KPI_IDS, SEVERITIES, type Severity } from '@ioc/shared';
import { t } from '../../i18n';
import { NO_VALUE, formatCount, formatDecimal, formatInstant, formatPercent } from '../../lib/format';
import { kpiNameOf } from '../../lib/kpiText';
import { formatRuleValue, formatThreshold, severityLabel } from './alertList';
import type { TextKey } from '../../i18n/keys';

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

const text = (key: TextKey<'operations'>, values: Record<string, unknown> = {}) => t(key, { ns: 'operations', ...values });

/**
 * What made an alert fire, in a sentence a night-shift operator reads at a
 * glance: the figures behind the value (`firedDetails`), named.
 */
export function describeFiring(a: Pick<AlertDetail, 'rule' | 'firedDetails' | 'firedValue' | 'unit'>): string {
  const d = a.firedDetails;
  const value = formatRuleValue(a.firedValue, a.unit);
  switch (a.rule.kind) {
    case 'kpi': {
      const kpi: KpiId = a.rule.kpi !== null && (KPI_IDS as readonly string[]).includes(a.rule.kpi) ? (a.rule.kpi as KpiId) : 'onTime';
      const numerator = num(d.numerator);
      const denominator = num(d.denominator);
      return text('firing.kpi', {
        kpi: kpiNameOf(kpi),
        days: num(d.windowDays) ?? a.rule.windowDays ?? 7,
        value,
        numerator: formatCount(numerator),
        denominator: formatCount(denominator),
      });
    }
    case 'backlog':
      return text('firing.backlog', { overdue: formatCount(num(d.inProgressOverdue) ?? a.firedValue), inProgress: formatCount(num(d.inProgress)) });
    case 'growth':
      return text('firing.growth', { value, now: formatCount(num(d.inProgressOverdue)), before: formatCount(num(d.overdueAtStartOfDay)) });
    case 'silence': {
      const last = typeof d.lastEventAt === 'string' ? formatInstant(d.lastEventAt) : NO_VALUE;
      return text('firing.silence', { value, last, perDay: formatDecimal(num(d.receivedPerWorkingDay)) });
    }
    case 'heartbeat': {
      const last = typeof d.lastHeartbeatAt === 'string' ? formatInstant(d.lastHeartbeatAt) : NO_VALUE;
      return text('firing.heartbeat', { value, last, backlog: formatCount(num(d.backlogEvents)) });
    }
    case 'surge':
      return text('firing.surge', { now: formatCount(num(d.receivedThisHour)), average: formatDecimal(num(d.hourOfWeekAverage)), value });
    case 'drop':
      return text('firing.drop', {
        today: formatPercent(num(d.todayRate)),
        received: formatCount(num(d.receivedToday)),
        baseline: formatPercent(num(d.baselineRate)),
        value,
      });
  }
}

/** The thresholds as evaluated, most severe first: `[["Nghiêm trọng", "< 90,00%"], …]`. */
export function thresholdRows(a: Pick<AlertDetail, 'rule' | 'unit'>): { severity: Severity; label: string; condition: string }[] {
  const out: { severity: Severity; label: string; condition: string }[] = [];
  for (const s of SEVERITIES) {
    const c = formatThreshold(a.rule.params, s, a.unit);
    if (c !== null) out.push({ severity: s, label: severityLabel(s), condition: c });
  }
  return out;
}

/** The rule's other parameters in words: hysteresis, pending and clear periods, minimum volume. */
export function ruleParamsText(a: Pick<AlertDetail, 'rule' | 'unit'>): string[] {
  const p = a.rule.params;
  const lines = [text('params.pending', { pending: formatCount(p.pendingMinutes), clear: formatCount(p.clearMinutes) })];
  if (p.hysteresis > 0) lines.push(text('params.hysteresis', { value: formatRuleValue(p.hysteresis, a.unit) }));
  if (p.minVolume > 0 && a.rule.kind !== 'silence') lines.push(text('params.minVolume', { n: formatCount(p.minVolume) }));
  if (!p.enabled) lines.push(text('params.disabled'));
  return lines;
}

function stateWords(s: Record<string, unknown> | null): string | null {
  if (!s) return null;
  const parts: string[] = [];
  if (typeof s.severity === 'string' && (SEVERITIES as readonly string[]).includes(s.severity)) parts.push(severityLabel(s.severity as Severity));
  if (s.status === 'active' || s.status === 'cleared') parts.push(text(`state.${s.status}`));
  if (typeof s.acknowledged === 'boolean') parts.push(text(s.acknowledged ? 'history.acknowledged' : 'history.notAcknowledged'));
  if ('assignee' in s) {
    const who = typeof s.assignee === 'string' && s.assignee ? s.assignee : null;
    parts.push(who === null ? text('history.nobody') : typeof s.name === 'string' && s.name ? `${s.name} (${who})` : who);
  }
  return parts.length ? parts.join(', ') : null;
}

/** One history line: the action in words, and from → to when the state changed. */
export function historyText(e: AlertEventEntry, unit: AlertDetail['unit']): { action: string; change: string | null; actor: string } {
  const from = stateWords(e.from);
  const to = stateWords(e.to);
  const value = num(e.details?.value);
  const change = from && to ? `${from} → ${to}` : to;
  return {
    action: text(`history.action.${e.action}`),
    change:
      value !== null && (e.action === 'fired' || e.action === 'escalated' || e.action === 'deescalated' || e.action === 'cleared')
        ? `${change ?? ''}${change ? ' · ' : ''}${text('history.value', { value: formatRuleValue(value, unit) })}`
        : change,
    actor: e.actor === 'system' ? text('history.system') : e.actor,
  };
}
