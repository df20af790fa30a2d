import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Commune, Province } from '@ioc/shared';
import { LazyChart } from '../../lib/charts/LazyChart';
import { formatCount, formatDecimal, formatPercent } from '../../lib/format';
import { type ComparisonRow, toComparisonOption } from './comparison';
import { metricName, unitTypePlural } from './labels';
import type { PeerResult } from './peers';

interface Props {
  commune: Commune;
  rows: ComparisonRow[];
  peers: PeerResult | null;
  /** The commune's dossiers received in the period (the peer group's centre). */
  received: number | null;
  periodText: string;
  provinces: ReadonlyMap<string, Province>;
  /** The panels above are still loading: the chart's code waits until the page has its layout. */
  holdChart?: boolean;
}

function formatMetric(row: ComparisonRow, v: number | null): string {
  return row.metric === 'score' ? formatDecimal(v) : formatPercent(v);
}

function VsPeers({ row }: { row: ComparisonRow }) {
  const { t } = useTranslation('commune');
  if (row.vsPeers === null) return <>—</>;
  const value = formatDecimal(Math.abs(row.vsPeers));
  if (row.vsPeers > 0) return <span className="commune-delta commune-delta--up">{t('compare.up', { value })}</span>;
  if (row.vsPeers < 0) return <span className="commune-delta commune-delta--down">{t('compare.down', { value })}</span>;
  return <span className="commune-delta">{t('compare.same')}</span>;
}

function PeerRule({ commune, peers, received, provinces }: Pick<Props, 'commune' | 'peers' | 'received' | 'provinces'>) {
  const { t } = useTranslation('commune');
  const types = unitTypePlural(commune.type);
  if (!peers || peers.status === 'pending') return <p className="commune-note">{t('compare.peersPending')}</p>;
  if (peers.status === 'noVolume') return <p className="commune-note">{t('compare.peersNoVolume')}</p>;
  if (peers.status === 'none') {
    const r = received ?? 0;
    return <p className="commune-note">{t('compare.peersNone', { types, min: formatCount(Math.ceil(r / 2)), max: formatCount(r * 2) })}</p>;
  }
  const g = peers.group;
  return (
    <>
      <p className="commune-note">
        {t('compare.peersRule', {
          n: g.peers.length,
          types,
          where: t(g.source === 'province' ? 'compare.whereProvince' : 'compare.whereNation'),
          min: formatCount(g.band.min),
          max: formatCount(g.band.max),
          own: formatCount(received),
        })}
      </p>
      <details className="commune-details">
        <summary>{t('compare.peersList', { n: g.peers.length })}</summary>
        <ul className="commune-peers">
          {g.peers.map((p) => (
            <li key={p.unitCode}>
              {t('compare.peerItem', {
                name: p.unitName,
                province: provinces.get(p.provinceCode)?.name ?? p.provinceCode,
                received: formatCount(p.received),
                score: formatDecimal(p.index.score),
              })}
            </li>
          ))}
        </ul>
      </details>
    </>
  );
}

/** The commune's KPIs and index score against its province, the nation and the median of its peers. */
export function ComparisonPanel({ commune, rows, peers, received, periodText, provinces, holdChart = false }: Props) {
  const { t } = useTranslation('commune');
  const provinceName = commune.provinceName;
  const option = useMemo(
    () =>
      toComparisonOption(rows, {
        metric: metricName,
        commune: commune.name,
        province: provinceName,
        nation: t('compare.nation'),
        peers: t('compare.peersShort'),
        format: formatDecimal,
      }),
    // `t` is new with each language, so the labels follow it.
    [rows, commune.name, provinceName, t],
  );
  return (
    <section className="panel commune-panel" aria-labelledby="compare-heading">
      <div className="panel__head">
        <h2 id="compare-heading">{t('compare.heading')}</h2>
        <p className="panel__note">{periodText}</p>
      </div>
      {/* Focusable so a keyboard can scroll the table sideways on a narrow screen. */}
      <div className="table-wrap commune-table-wrap" tabIndex={0} role="region" aria-label={t('compare.heading')}>
        <table className="ranking commune-table">
          <caption className="visually-hidden">{t('compare.caption', { name: commune.fullName, province: provinceName, period: periodText })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('compare.metric')}</th>
              <th scope="col" className="num">
                {commune.name}
              </th>
              <th scope="col" className="num">
                {provinceName}
              </th>
              <th scope="col" className="num">
                {t('compare.nation')}
              </th>
              <th scope="col" className="num">
                {t('compare.peers')}
              </th>
              <th scope="col" className="num">
                {t('compare.vsPeers')}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.metric} className={r.metric === 'score' ? 'commune-table__score' : undefined}>
                <th scope="row">{metricName(r.metric)}</th>
                <td className="num commune-table__own">{formatMetric(r, r.commune)}</td>
                <td className="num">{formatMetric(r, r.province)}</td>
                <td className="num">{formatMetric(r, r.nation)}</td>
                <td className="num">{formatMetric(r, r.peers)}</td>
                <td className="num">
                  <VsPeers row={r} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <PeerRule commune={commune} peers={peers} received={received} provinces={provinces} />
      <LazyChart option={option} hold={holdChart} label={t('compare.chartLabel', { name: commune.fullName })} height={340} className="chart commune-chart" />
    </section>
  );
}
