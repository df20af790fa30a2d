import { useTranslation } from 'react-i18next';
import type { IndexPoints, KpiSet } from '@ioc/shared';
import { formatDecimal } from '../../lib/format';
import { kpiNameOf } from '../../lib/kpiText';
import { EmptyPanel } from '../../lib/StatePanels';
import { pointsLostDetail, pointsLostItems, pointsLostText, totalLost } from './pointsLost';

/** Which KPI costs the commune the most index points, and what would win them back. */
export function PointsLostPanel({ index, kpis, periodText }: { index: IndexPoints; kpis: KpiSet; periodText: string }) {
  const { t } = useTranslation('commune');
  const items = pointsLostItems(index, kpis);
  return (
    <section className="panel commune-panel" aria-labelledby="lost-heading">
      <div className="panel__head">
        <h2 id="lost-heading">{t('lost.heading')}</h2>
        {index.maxPoints > 0 && <p className="panel__note">{t('lost.note', { points: formatDecimal(totalLost(items)), max: index.maxPoints })}</p>}
      </div>
      {index.maxPoints === 0 && <EmptyPanel>{t('lost.empty')}</EmptyPanel>}
      <table className="ranking commune-table commune-lost">
        <caption className="visually-hidden">{t('lost.caption', { period: periodText })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('lost.component')}</th>
            <th scope="col" className="num">
              {t('lost.points')}
            </th>
            <th scope="col">{t('lost.action')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr key={i.component} className={i.lost !== null && i.lost > 0 ? 'commune-lost__row--lost' : undefined}>
              <th scope="row">{kpiNameOf(i.kpi)}</th>
              <td className="num">{t('lost.pointsOf', { points: formatDecimal(i.points), max: i.maxPoints })}</td>
              <td>
                <span className="commune-lost__text">{pointsLostText(i)}</span>
                {i.value !== null && <span className="commune-lost__detail">{pointsLostDetail(i)}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
