import { type RuleParams, type Severity, isClear, severityOf, severityRank } from './rules.js';

/** What the engine keeps between evaluations of one rule for one unit. */
export interface RuleState {
  /** When the condition started holding with no alert active (epoch ms); null when it does not hold. */
  pendingSince: number | null;
  /** When the value got past the hysteresis band with an alert active; null otherwise. */
  clearSince: number | null;
  /** Severity of the active alert; null when none is active. */
  active: Severity | null;
  /** The last value seen; null when the last evaluation had no data. */
  lastValue: number | null;
}

export const INITIAL_RULE_STATE: RuleState = { pendingSince: null, clearSince: null, active: null, lastValue: null };

export type Transition =
  | { kind: 'fire'; to: Severity }
  | { kind: 'escalate'; from: Severity; to: Severity }
  | { kind: 'deescalate'; from: Severity; to: Severity }
  | { kind: 'clear'; from: Severity; reason: 'recovered' | 'disabled' };

/**
 * One evaluation of a rule for a unit, a pure function of the previous state,
 * the measured value (null: no data) and the time.
 *
 * - An alert fires only after its condition has held for the pending period.
 * - It clears only after the value has stayed past the mildest threshold plus the
 *   hysteresis band for the clear period: a value wavering around a threshold
 *   gives one alert, not many.
 * - No data is its own state: it neither fires nor clears, and resets a pending
 *   condition or clearance.
 * - While active, a more severe value escalates the same alert at once; a milder
 *   one lowers it only past the higher threshold's hysteresis band.
 */
export function evaluateRule(prev: RuleState, value: number | null, p: RuleParams, now: number): { next: RuleState; transition: Transition | null } {
  if (!p.enabled) {
    const next = { ...INITIAL_RULE_STATE, lastValue: value };
    return { next, transition: prev.active ? { kind: 'clear', from: prev.active, reason: 'disabled' } : null };
  }
  if (value === null) return { next: { ...prev, pendingSince: null, clearSince: null, lastValue: null }, transition: null };
  const sev = severityOf(value, p);

  if (prev.active === null) {
    if (sev === null) return { next: { ...prev, pendingSince: null, clearSince: null, lastValue: value }, transition: null };
    const since = prev.pendingSince ?? now;
    if (now - since >= p.pendingMinutes * 60_000) {
      return { next: { pendingSince: null, clearSince: null, active: sev, lastValue: value }, transition: { kind: 'fire', to: sev } };
    }
    return { next: { ...prev, pendingSince: since, lastValue: value }, transition: null };
  }

  const active = prev.active;
  if (isClear(value, p)) {
    const since = prev.clearSince ?? now;
    if (now - since >= p.clearMinutes * 60_000) {
      return { next: { ...INITIAL_RULE_STATE, lastValue: value }, transition: { kind: 'clear', from: active, reason: 'recovered' } };
    }
    return { next: { ...prev, clearSince: since, lastValue: value }, transition: null };
  }
  const next: RuleState = { ...prev, clearSince: null, lastValue: value };
  if (sev !== null && severityRank(sev) > severityRank(active)) {
    return { next: { ...next, active: sev }, transition: { kind: 'escalate', from: active, to: sev } };
  }
  if (sev !== null && severityRank(sev) < severityRank(active) && pastBand(value, active, p)) {
    return { next: { ...next, active: sev }, transition: { kind: 'deescalate', from: active, to: sev } };
  }
  return { next, transition: null };
}

/** True when the value is past the threshold of `s` by the hysteresis band. */
function pastBand(value: number, s: Severity, p: RuleParams): boolean {
  const t = p.thresholds[s];
  if (t === undefined) return true;
  return p.direction === 'below' ? value >= t + p.hysteresis : value <= t - p.hysteresis;
}
