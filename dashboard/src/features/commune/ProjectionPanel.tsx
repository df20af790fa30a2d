import { useTranslation } from 'react-i18next';
import type { MonthProjection } from '@ioc/shared';
import { formatCount, formatPercent } from '../../lib/format';
import { vietnamDateOf } from '../../lib/period';
import type { QueryState } from '../../lib/useApiQuery';
import { EmptyPanel } from '../../lib/StatePanels';
import { Loaded } from './PanelStates';
import { monthLabel, projectionLines } from './projectionText';

function Projection({ p }: { p: MonthProjection }) {
  const { t } = useTranslation('commune');
  const lines = projectionLines(p);
  if (lines.length === 0) return <EmptyPanel>{t('projection.empty')}</EmptyPanel>;
  return (
    <>
      <ul className="commune-projection">
        {lines.map((l) => (
          <li key={l.key} className={`commune-projection__item commune-projection__item--${l.key}`}>
            <p className="commune-projection__label">{t(`projection.${l.key}`)}</p>
            <p className="commune-projection__value">{formatPercent(l.value)}</p>
            <p className="commune-projection__sentence">{l.sentence}</p>
          </li>
        ))}
      </ul>
      <p className="commune-note">
        <strong>{t('projection.atRisk', { count: p.atRisk, n: formatCount(p.atRisk) })}</strong>
        {p.alreadyOverdue > 0 && <> · {t('projection.overdue', { count: p.alreadyOverdue, n: formatCount(p.alreadyOverdue) })}</>}
      </p>
    </>
  );
}

/** Where this month's on-time rate will end from the dossiers already known. */
export function ProjectionPanel({ state }: { state: QueryState<MonthProjection> }) {
  const { t } = useTranslation('commune');
  const month = monthLabel(state.data?.month ?? vietnamDateOf(new Date()).slice(0, 7));
  return (
    <section className="panel commune-panel" aria-labelledby="projection-heading">
      <div className="panel__head">
        <h2 id="projection-heading">{t('projection.heading', { month })}</h2>
        <p className="panel__note">{t('projection.note')}</p>
      </div>
      <Loaded {...state} rows={4}>
        {(p) => <Projection p={p} />}
      </Loaded>
    </section>
  );
}
