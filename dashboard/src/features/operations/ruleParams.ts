import { type AlertSummary, DEFAULT_RULES, type RuleOverride, type RuleParams, effectiveParams } from '@ioc/shared';

/** Overrides by rule id, then by unit code (a province's 2 digits or a commune's 5). */
export type OverridesByRule = ReadonlyMap<string, ReadonlyMap<string, Partial<RuleParams>>>;

export function indexOverrides(lists: readonly RuleOverride[][]): OverridesByRule {
  const out = new Map<string, Map<string, Partial<RuleParams>>>();
  for (const list of lists) {
    for (const o of list) {
      let m = out.get(o.ruleId);
      if (!m) out.set(o.ruleId, (m = new Map<string, Partial<RuleParams>>()));
      m.set(o.unitCode, o.params);
    }
  }
  return out;
}

/**
 * The parameters a rule applies to an alert's unit now: the defaults, then the
 * province's override, then the commune's (the detail shows them as they were
 * evaluated when it fired). Null for a rule the dashboard does not know.
 */
export function paramsFor(a: Pick<AlertSummary, 'ruleId' | 'unitCode' | 'provinceCode'>, overrides: OverridesByRule): RuleParams | null {
  const rule = DEFAULT_RULES.find((r) => r.id === a.ruleId);
  if (!rule) return null;
  const o = overrides.get(a.ruleId);
  return effectiveParams(rule, o?.get(a.provinceCode), a.unitCode.length === 5 ? o?.get(a.unitCode) : undefined);
}
