import { INDEX_V2_BY_ID, type SubIndicatorId, localDateOf } from '@ioc/shared';
import { currentLocale, t } from '../../i18n';
import { formatCount, formatDecimal, formatHourMinute, formatInstant, formatLocalDate, formatPercent } from '../../lib/format';
import { nameOf } from '../../lib/indexV2';
import { kpiNameOf } from '../../lib/kpiText';
import { type LegendClass, type MapDatum, type MapLayer, type MapMetric, isIndexMetric, isPercentMetric, isScoredSubIndicator, silenceDuration } from './choropleth';

/**
 * What colours the map, by name: "Chỉ số (điểm đạt / điểm có dữ liệu)", "2.1 Giải quyết đúng hạn",
 * a kpi-v1 KPI's name, the kpi-v1 score, or the connectivity layer.
 */
export function metricName(metric: MapLayer): string {
  if (metric === 'links') return t('map:link.layer');
  if (metric === 'points') return t('map:panel.points');
  if (metric === 'index') return t('map:panel.index');
  if (isIndexMetric(metric)) return t('map:panel.subIndicator', { id: metric, name: nameOf(INDEX_V2_BY_ID[metric]) });
  return kpiNameOf(metric);
}

/** The legend's title: the metric's name, with what a sub-indicator's classes count ("điểm, tối đa 6"). */
export function legendTitle(metric: MapLayer): string {
  if (metric !== 'links' && metric !== 'index' && isScoredSubIndicator(metric)) return t('map:legend.subIndicatorTitle', { name: metricName(metric), pmax: INDEX_V2_BY_ID[metric].pmax });
  return metricName(metric);
}

/** A unit's value as the map says it: "52,30%", "85,61 điểm", or "Không có số liệu". */
export function formatMetricValue(metric: MapMetric, value: number | null | undefined): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return t('map:value.none');
  if (isScoredSubIndicator(metric)) return t('map:value.pointsOf', { earned: formatDecimal((value / 100) * INDEX_V2_BY_ID[metric].pmax), of: formatCount(INDEX_V2_BY_ID[metric].pmax) });
  return isPercentMetric(metric) ? formatPercent(value) : t('map:value.points', { value: formatDecimal(value) });
}

/** A unit's value; kpi-v2 as points ("71,40 / 82 điểm"); on the connectivity layer a commune's link state ("Mất kết nối"), or a province's share of relayed communes down. */
export function formatDatum(metric: MapLayer, d: MapDatum | undefined): string {
  if (metric !== 'links' && d?.points && typeof d.value === 'number') return t('map:value.pointsOf', { earned: formatDecimal(d.points.earned), of: formatCount(d.points.of) });
  if (metric !== 'links') return formatMetricValue(metric, d?.value);
  const share = d?.linkShare;
  if (!share) return t(`map:link.state.${d?.link?.state ?? 'unknown'}`);
  if (share.relayed === 0) return t('map:link.share.none');
  return t('map:link.share.down', { down: formatCount(share.down), relayed: formatCount(share.relayed), share: formatPercent((share.down / share.relayed) * 100) });
}

/** The tooltip's lines about a commune's link: since when in its state, the last heartbeat, the backlog. */
export function formatLinkDetails(d: MapDatum | undefined): string[] {
  if (d?.linkShare) return d.linkShare.relayed > 0 ? [t('map:link.share.of')] : [];
  const link = d?.link;
  if (!link || link.state === 'unknown') return [t('map:link.noSource')];
  const lines: string[] = [];
  if (link.since) lines.push(t('map:link.since', { time: formatInstant(link.since) }));
  const last = link.lastHeartbeat;
  if (last) {
    lines.push(t('map:link.last', { time: formatInstant(last.receivedAt) }));
    lines.push(last.backlogEvents > 0 ? t('map:link.backlog', { count: last.backlogEvents, value: formatCount(last.backlogEvents) }) : t('map:link.noBacklog'));
  }
  return lines;
}

/** A class bound in the legend: "70%", "99,5%", "85" for the kpi-v1 score, and a sub-indicator's points ("4,5" of its Pmax 6). */
export function formatBound(metric: MapMetric, value: number): string {
  const points = isScoredSubIndicator(metric) ? (value / 100) * INDEX_V2_BY_ID[metric as SubIndicatorId].pmax : value;
  const n = new Intl.NumberFormat(currentLocale(), { maximumFractionDigits: 1 }).format(points);
  return isPercentMetric(metric) ? `${n}%` : n;
}

/** "Dưới 70%", "70% – dưới 85%", "Từ 98% trở lên"; a sub-indicator's last class: "Đủ 6 điểm". */
export function legendLabel(metric: MapMetric, c: LegendClass): string {
  if (c.to === null && c.from === 100 && isScoredSubIndicator(metric)) return t('map:legend.full', { pmax: formatCount(INDEX_V2_BY_ID[metric].pmax) });
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
