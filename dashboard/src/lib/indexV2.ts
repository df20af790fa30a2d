import { INDEX_V2_BY_ID, type IndexV2GroupView, type IndexV2SubIndicatorView, type IndexV2View, type SubIndicatorId } from '@ioc/shared';
import { currentLanguage } from '../i18n';
import { textsOf } from '../i18n/keys';
import { formatCount, formatDecimal, formatPercent } from './format';

/**
 * The national index (Decision 766, `kpi-v2`) as the dashboard shows it: always
 * earned of the points that have data, never rescaled to 100; a sub-indicator
 * without data is named as missing with the reason, never counted as lost.
 */

const tt = textsOf('indexV2');

/** A catalogue entry's name in the current language. */
export function nameOf(x: { nameVi: string; nameEn: string }): string {
  return currentLanguage() === 'en' ? x.nameEn : x.nameVi;
}

/** Points that have no data: the index's maximum less the available points (the not-scored ones carry 0). */
export function missingPoints(v: Pick<IndexV2View, 'available' | 'maxPoints'>): number {
  return Math.max(0, v.maxPoints - v.available);
}

/** "52,08 / 64 điểm có số liệu" (en "52.08 of 64 points with data"). */
export function indexTotalText(v: Pick<IndexV2View, 'earned' | 'available'>): string {
  return tt('card.total', { earned: formatDecimal(v.earned), available: formatCount(v.available) });
}

/** Width of a points bar in percent of its maximum, 0–100. */
export function barPercent(points: number | null, pmax: number): number {
  if (points === null || pmax <= 0) return 0;
  return Math.min(100, Math.max(0, (points / pmax) * 100));
}

/**
 * A sub-indicator's formula in one line, from the catalogue: "numerator ÷
 * denominator · how it scores" (5.4, a difference of rates, states it whole).
 */
export function formulaLine(id: SubIndicatorId): string {
  const d = INDEX_V2_BY_ID[id];
  const en = currentLanguage() === 'en';
  const num = en ? d.numeratorEn : d.numeratorVi;
  const den = en ? d.denominatorEn : d.denominatorVi;
  const rate = d.measure.kind === 'percentDifference' ? num : `${num} ÷ ${den}${d.measure.kind === 'meanDays' ? ` (${tt('formula.days')})` : ''}`;
  const rule = d.scoring;
  const score = rule.kind === 'linear' ? tt('formula.linear', { pmax: d.pmax }) : rule.kind === 'fullAt' ? tt('formula.fullAt', { pmax: d.pmax, threshold: rule.threshold }) : tt('formula.none');
  return `${rate} · ${score}`;
}

export type MissingReason = 'reported' | 'attribute' | 'noCount';

/**
 * Why a sub-indicator has no data: nothing reported (reported ones), the
 * sources do not send the optional attribute it is taken over (coverage 0 of
 * some dossiers), or nothing to count (a zero denominator).
 */
export function missingReason(s: IndexV2SubIndicatorView): MissingReason | null {
  if (s.rate !== null) return null;
  if (s.source === 'reported') return 'reported';
  if (s.coverage !== null && s.coverage.total > 0 && s.coverage.known === 0) return 'attribute';
  return 'noCount';
}

export function missingText(s: IndexV2SubIndicatorView): string | null {
  const r = missingReason(s);
  return r === null ? null : tt(`missing.${r}`);
}

/** "độ phủ 82,50% (1.650 / 2.000 hồ sơ có thông tin)"; null when every dossier carries what the rate needs. */
export function coverageText(s: IndexV2SubIndicatorView): string | null {
  const c = s.coverage;
  if (c === null || c.total === 0) return null;
  return tt('panel.coverage', { value: formatPercent(c.value), known: formatCount(c.known), total: formatCount(c.total) });
}

/** The rate as shown: percent, or days for 2.2; "—" without data. */
export function rateText(s: IndexV2SubIndicatorView): string {
  if (s.rate === null) return formatPercent(null);
  return s.unit === 'days' ? `${formatDecimal(s.rate)} ${currentLanguage() === 'en' ? 'days' : 'ngày'}` : formatPercent(s.rate);
}

/** "1.234 / 2.360" behind the rate, when it is one ratio with data. */
export function ratioText(s: IndexV2SubIndicatorView): string | null {
  if (s.numerator === null || s.denominator === null || s.denominator === 0) return null;
  const n = s.unit === 'days' ? formatDecimal(s.numerator) : formatCount(s.numerator);
  return tt('panel.ratio', { numerator: n, denominator: formatCount(s.denominator) });
}

/** A group's headline: "12,40 / 16 điểm có số liệu · tối đa 18". */
export function groupText(g: IndexV2GroupView): string {
  return g.available === 0 ? tt('panel.groupNone', { pmax: g.pmax }) : tt('panel.group', { earned: formatDecimal(g.earned), available: g.available, pmax: g.pmax });
}

/** Where the chair can act on a sub-indicator in the dashboard: the dossiers panel with a filter, or nowhere yet. */
export type LostAction = 'dueSoon' | 'overdue' | 'toAct' | null;
export type LostHint = 'onTime' | 'satisfaction' | 'eResult' | 'digitized' | 'reuse' | 'online' | 'payment' | 'sync' | 'feedback' | 'reported';

/**
 * What can win a sub-indicator's points back, and where the dashboard lists the
 * dossiers that still can: on time (2.1) the dossiers due soon; satisfaction
 * (5.4) the overdue ones; electronic results and digitisation (4.1, 4.2) the
 * in-progress dossiers to act on, not yet resolved. The others have no list here.
 */
export function actionOf(id: SubIndicatorId): { action: LostAction; hint: LostHint } {
  const d = INDEX_V2_BY_ID[id];
  if (d.source === 'reported') return { action: null, hint: 'reported' };
  switch (id) {
    case '2.1':
      return { action: 'dueSoon', hint: 'onTime' };
    case '5.4':
      return { action: 'overdue', hint: 'satisfaction' };
    case '4.1':
      return { action: 'toAct', hint: 'eResult' };
    case '4.2':
      return { action: 'toAct', hint: 'digitized' };
    case '1.4':
      return { action: null, hint: 'sync' };
    case '3.x':
    case '3.3':
      return { action: null, hint: 'online' };
    case '3.5b':
    case '3.6':
      return { action: null, hint: 'payment' };
    case '5.2':
    case '5.3':
      return { action: null, hint: 'feedback' };
    default:
      return { action: null, hint: 'reuse' };
  }
}

export interface LostItem {
  id: SubIndicatorId;
  name: string;
  groupName: string;
  pmax: number;
  points: number;
  lost: number;
  action: LostAction;
  hint: LostHint;
}

export interface LostList {
  /** Scored sub-indicators with data, the most points lost first (then the larger Pmax, then catalogue order). */
  items: LostItem[];
  /** Scored sub-indicators without data: neither earned nor lost. */
  missing: { id: SubIndicatorId; name: string; pmax: number; reason: MissingReason }[];
  lost: number;
  available: number;
  missingPoints: number;
}

/** The chair's "points lost": the index's scored sub-indicators by points at stake. */
export function lostList(v: IndexV2View): LostList {
  const items: LostItem[] = [];
  const missing: LostList['missing'] = [];
  let order = 0;
  const orderOf = new Map<SubIndicatorId, number>();
  for (const g of v.groups) {
    for (const s of g.subIndicators) {
      orderOf.set(s.id, order++);
      if (!s.scored) continue;
      if (s.points === null || s.pointsLost === null) {
        missing.push({ id: s.id, name: nameOf(s), pmax: s.pmax, reason: missingReason(s) ?? 'noCount' });
        continue;
      }
      items.push({ id: s.id, name: nameOf(s), groupName: nameOf(g), pmax: s.pmax, points: s.points, lost: s.pointsLost, ...actionOf(s.id) });
    }
  }
  items.sort((a, b) => b.lost - a.lost || b.pmax - a.pmax || orderOf.get(a.id)! - orderOf.get(b.id)!);
  return { items, missing, lost: v.pointsLost, available: v.available, missingPoints: missingPoints(v) };
}
