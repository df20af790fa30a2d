import type { AlertDetail } from '@ioc/shared';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { EChart } from '../../lib/charts/EChart';
import { describeError } from '../../lib/http';
import { formatDateRange } from '../../lib/format';
import { type ChartPlan, toAlertChartOption } from './alertChart';
import { useAlertSeries } from './useAlertSeries';

/** The measure of an alert around its firing, or a plain sentence when its rule has no series to draw. */
export function AlertChart({ alert, plan }: { alert: AlertDetail; plan: ChartPlan }) {
  const { t } = useTranslation('operations');
  const series = useAlertSeries(plan);
  // The option's labels are in the language of `t`, which is new with each language.
  const option = useMemo(() => (plan.kind === 'series' && series.data ? toAlertChartOption(alert, plan, series.data, t) : null), [alert, plan, series.data, t]);

  if (plan.kind === 'none') return <p className="panel__text">{t('chart.none.silence')}</p>;
  const caption = t(`chart.caption.${plan.measure}`, { range: formatDateRange(plan.from, plan.to), grain: t(`chart.grain.${plan.granularity}`) });
  return (
    <figure className="alert-chart">
      {option ? (
        <EChart option={option} label={`${caption}. ${t('chart.labelHint')}`} height={220} className="alert-chart__canvas" />
      ) : series.error ? (
        <p className="panel__text" role="status">
          {t('chart.error', { reason: describeError(series.error) })}
        </p>
      ) : (
        <div className="skeleton alert-chart__loading" role="status" aria-label={t('chart.loading')} />
      )}
      <figcaption className="alert-chart__caption">{caption}</figcaption>
    </figure>
  );
}
