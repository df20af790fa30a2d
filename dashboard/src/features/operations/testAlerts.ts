import type { AlertDetail, AlertSummary } from '@ioc/shared';
import { DEFAULT_RULES } from '@ioc/shared';

/** A fresh alert for a test, with only what the case needs changed. */
export function alertOf(over: Partial<AlertSummary> = {}): AlertSummary {
  return {
    id: '1',
    ruleId: 'commune-overdue-backlog',
    ruleNameVi: 'Tồn đọng hồ sơ quá hạn',
    ruleNameEn: 'Backlog of overdue dossiers',
    scope: 'commune:00004',
    unitCode: '00004',
    unitName: 'Phường Ba Đình',
    provinceCode: '01',
    severity: 'warning',
    status: 'active',
    acknowledged: false,
    acknowledgedBy: null,
    acknowledgedAt: null,
    assignee: null,
    assigneeName: null,
    firedAt: '2026-11-16T02:00:00.000Z',
    clearedAt: null,
    updatedAt: '2026-11-16T02:00:00.000Z',
    firedValue: 25,
    lastValue: 25,
    unit: 'hồ sơ',
    ...over,
  };
}

/** A fresh alert detail of a default rule. */
export function detailOf(ruleId: string, over: Partial<AlertDetail> = {}): AlertDetail {
  const rule = DEFAULT_RULES.find((r) => r.id === ruleId)!;
  return {
    ...alertOf({ ruleId, ruleNameVi: rule.nameVi, ruleNameEn: rule.nameEn, unit: rule.unit }),
    rule: { id: rule.id, kind: rule.kind, level: rule.level, kpi: rule.kpi ?? null, windowDays: rule.windowDays ?? null, params: rule.defaults },
    firedDetails: {},
    history: [],
    ...over,
  };
}
