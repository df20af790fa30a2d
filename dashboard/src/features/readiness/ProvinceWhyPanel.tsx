import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RankingEntry } from '@ioc/shared';
import { paths } from '../../app/routes';
import type { ChartOption } from '../../lib/charts/echarts';
import { LazyChart } from '../../lib/charts/LazyChart';
import { formatCount, formatDecimal, formatPercent } from '../../lib/format';
import { describeError } from '../../lib/http';
import { kpiNameOf } from '../../lib/kpiText';
import { useApiQuery } from '../../lib/useApiQuery';
import { fetchReadinessList } from './api';
import { formatReadinessValue } from './format';
import { type WhyAnalysis, type XMeasure, type YMeasure, X_MEASURES, Y_MEASURES, analyse } from './why';
import './readiness.css';

const TABLE_ROWS = 15;

function useMeasureNames() {
  const { t } = useTranslation('readiness');
  const yName = (m: YMeasure) => (m === 'index' ? t('why.index') : kpiNameOf(m));
  const xName = (m: XMeasure) => (m === 'score' || m === 'upShare' || m === 'outageWorkingMinutes' ? t(`why.${m}`) : t(`fields.${m}`));
  return { yName, xName };
}

function formatX(m: XMeasure, v: number | null): string {
  if (m === 'score' || m === 'upShare') return formatPercent(v);
  if (m === 'outageWorkingMinutes') return formatCount(v);
  return formatReadinessValue(m, v);
}

const formatY = (v: number | null) => formatDecimal(v);

/** The scatter: one dot per commune, the communes with both gaps in red, the medians as lines. */
export function scatterOption(a: WhyAnalysis, xLabel: string, yLabel: string, xFormat: (v: number) => string): ChartOption {
  const gap = new Set(a.gaps.map((g) => g.code));
  const dot = (p: WhyAnalysis['points'][number]) => ({ value: [p.x, p.y], name: p.name });
  const medians = [...(a.xMedian === null ? [] : [{ xAxis: a.xMedian }]), ...(a.yMedian === null ? [] : [{ yAxis: a.yMedian }])];
  return {
    animation: false,
    grid: { left: 56, right: 24, top: 24, bottom: 56 },
    tooltip: {
      trigger: 'item',
      formatter: (p: unknown) => {
        const q = p as { name: string; value: [number, number] };
        return `${q.name}<br/>${xLabel}: ${xFormat(q.value[0])}<br/>${yLabel}: ${formatY(q.value[1])}`;
      },
    },
    xAxis: { type: 'value', name: xLabel, nameLocation: 'middle', nameGap: 32, scale: true, axisLabel: { formatter: (v: number) => xFormat(v) } },
    yAxis: { type: 'value', name: yLabel, nameLocation: 'middle', nameGap: 40, scale: true },
    series: [
      {
        type: 'scatter',
        symbolSize: 9,
        itemStyle: { color: '#2f6fb3', opacity: 0.75 },
        data: a.points.filter((p) => !gap.has(p.code)).map(dot),
        markLine: { silent: true, symbol: 'none', lineStyle: { type: 'dashed', color: '#888' }, label: { show: false }, data: medians },
      },
      { type: 'scatter', symbolSize: 11, itemStyle: { color: '#c0392b' }, data: a.points.filter((p) => gap.has(p.code)).map(dot) },
    ],
  } as ChartOption;
}

/**
 * The province's "why": each commune's index (or a KPI) against a readiness or link
 * measure, the association in one number, and the communes where a KPI gap goes with
 * a readiness gap. Association, not proof: the panel says so.
 */
export function ProvinceWhyPanel({ provinceCode, entries }: { provinceCode: string; entries: readonly RankingEntry[] | null }) {
  const { t } = useTranslation('readiness');
  const id = useId();
  const [y, setY] = useState<YMeasure>('index');
  const [x, setX] = useState<XMeasure>('score');
  const scope = `province:${provinceCode}`;
  const list = useApiQuery(['readiness', scope], (s) => fetchReadinessList(scope, s), { refetchMs: 5 * 60_000 });
  const { yName, xName } = useMeasureNames();
  const analysis = useMemo(() => (entries && list.data ? analyse(entries, list.data.communes, y, x) : null), [entries, list.data, y, x]);
  const anyData = list.data?.communes.some((c) => c.score !== null || c.link !== null) ?? false;

  return (
    <section className="panel why-province" aria-labelledby={`${id}-heading`} data-testid="province-why">
      <div className="panel__head">
        <h2 id={`${id}-heading`}>{t('why.heading')}</h2>
        <p className="panel__note why-note" role="note">
          {t('note')}
        </p>
      </div>
      <div className="map-panel__controls why-controls">
        <label htmlFor={`${id}-y`}>
          {t('why.y')}
          <select id={`${id}-y`} value={y} onChange={(e) => setY(e.target.value as YMeasure)}>
            {Y_MEASURES.map((m) => (
              <option key={m} value={m}>
                {yName(m)}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={`${id}-x`}>
          {t('why.x')}
          <select id={`${id}-x`} value={x} onChange={(e) => setX(e.target.value as XMeasure)}>
            {X_MEASURES.map((m) => (
              <option key={m} value={m}>
                {xName(m)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {list.error && !list.data ? (
        <p className="state-panel state-panel--error">{t('why.error', { reason: describeError(list.error) })}</p>
      ) : !analysis ? (
        <p className="panel__text">{t('why.loading')}</p>
      ) : !anyData ? (
        <p className="panel__text">{t('why.noData')}</p>
      ) : (
        <>
          <LazyChart option={scatterOption(analysis, xName(x), yName(y), (v) => formatX(x, v))} label={t('why.chartLabel', { x: xName(x), y: yName(y) })} height={340} />
          <p className="panel__text" data-testid="why-correlation">
            {analysis.r === null ? t('why.correlationNone') : t('why.correlation', { r: formatDecimal(analysis.r), n: formatCount(analysis.points.length) })}
          </p>
          <h3 className="subheading">{t('why.tableHeading')}</h3>
          <p className="panel__text">{t('why.tableNote', { y: yName(y), yMedian: formatY(analysis.yMedian), x: xName(x), xMedian: formatX(x, analysis.xMedian) })}</p>
          {analysis.gaps.length === 0 ? (
            <p className="panel__text">{t('why.empty')}</p>
          ) : (
            <div className="table-wrap" tabIndex={0} role="region" aria-label={t('why.tableHeading')}>
              <table className="ranking why-table" data-testid="why-gaps">
                <thead>
                  <tr>
                    <th scope="col">{t('why.commune')}</th>
                    <th scope="col" className="num">
                      {yName(y)}
                    </th>
                    <th scope="col" className="num">
                      {xName(x)}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {analysis.gaps.slice(0, TABLE_ROWS).map((g) => (
                    <tr key={g.code}>
                      <th scope="row">
                        <a href={`#${paths.commune(g.code)}`}>{g.name}</a>
                      </th>
                      <td className="num">{formatY(g.y)}</td>
                      <td className="num">{formatX(x, g.x)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {analysis.gaps.length > TABLE_ROWS && <p className="panel__text">{t('why.more', { count: analysis.gaps.length - TABLE_ROWS })}</p>}
            </div>
          )}
        </>
      )}
    </section>
  );
}
