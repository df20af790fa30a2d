import { localDateOf } from '@ioc/shared';
import { currentLocale, t } from '../../i18n';
import { formatDecimal, formatHourMinute, formatLocalDate, formatPercent } from '../../lib/format';
import { type LegendClass, type MapMetric, isPercentMetric, silenceDuration } from './choropleth';

/** A unit's value as the map says it: "52,30%", "85,61 điểm", or "Không có số liệu". */
export function formatMetricValue(metric: MapMetric, value: number | null | undefined): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return t('map:value.none');
  return isPercentMetric(metric) ? formatPercent(value) : t('map:value.points', { value: formatDecimal(value) });
}

/** A class bound in the legend: "70%", "99,5%", or "85" for points. */
export function formatBound(metric: MapMetric, value: number): string {
  const n = new Intl.NumberFormat(currentLocale(), { maximumFractionDigits: 1 }).format(value);
  return isPercentMetric(metric) ? `${n}%` : n;
}

/** "Dưới 70%", "70% – dưới 85%", "Từ 98% trở lên". */
export function legendLabel(metric: MapMetric, c: LegendClass): string {
  if (c.from === null && c.to !== null) return t('map:legend.below', { value: formatBound(metric, c.to) });
  if (c.to === null && c.from !== null) return t('map:legend.atLeast', { value: formatBound(metric, c.from) });
  return t('map:legend.between', { from: formatBound(metric, c.from ?? 0), to: formatBound(metric, c.to ?? 100) });
}

/** "2 giờ", "90 phút". */
export function formatSilence(minutes: number): string {
  const d = silenceDuration(minutes);
  return t(d.unit === 'hours' ? 'map:duration.hours' : 'map:duration.minutes', { count: d.count });
}

/** "Lần cuối có dữ liệu: 14:05" today (Vietnam time), with the date on another day; null when unknown. */
export function formatLastEvent(lastEventAt: string | null | undefined, nowMs: number): string | null {
  if (lastEventAt === undefined) return null;
  if (lastEventAt === null) return t('map:tooltip.never');
  const at = Date.parse(lastEventAt);
  if (Number.isNaN(at)) return null;
  const time = formatHourMinute(at);
  const day = localDateOf(at);
  return day === localDateOf(nowMs) ? t('map:tooltip.lastEvent', { time }) : t('map:tooltip.lastEventOn', { time, date: formatLocalDate(day) });
}
