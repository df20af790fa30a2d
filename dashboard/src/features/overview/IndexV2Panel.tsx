import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { IndexV2GroupView, IndexV2SubIndicatorView, IndexV2View } from '@ioc/shared';
import { formatDecimal, formatInstant } from '../../lib/format';
import { describeError } from '../../lib/http';
import './indexV2.css';
import { barPercent, coverageText, formulaLine, groupText, indexTotalText, missingText, nameOf, ratioText, rateText } from '../../lib/indexV2';

/** A sub-indicator's name that explains its formula in one line on hover or keyboard focus (Escape hides it). */
export function FormulaName({ s }: { s: Pick<IndexV2SubIndicatorView, 'id' | 'nameVi' | 'nameEn'> }) {
  const { t } = useTranslation('indexV2');
  const id = useId();
  return (
    <span className="formula">
      <button
        type="button"
        className="formula__name"
        aria-describedby={id}
        onKeyDown={(e) => {
          if (e.key === 'Escape') (e.currentTarget as HTMLButtonElement).blur();
        }}
      >
        <span className="formula__id">{s.id}</span> {nameOf(s)}
      </button>
      <span role="tooltip" id={id} className="formula__tip">
        <span className="visually-hidden">{t('panel.formulaLabel', { name: nameOf(s) })}: </span>
        {formulaLine(s.id)}
      </span>
    </span>
  );
}

function SubIndicatorRow({ s }: { s: IndexV2SubIndicatorView }) {
  const { t } = useTranslation('indexV2');
  const missing = missingText(s);
  const coverage = coverageText(s);
  const ratio = ratioText(s);
  const reported = s.reported?.[0];
  const state = !s.scored ? 'shown' : s.points === null ? 'missing' : 'scored';
  return (
    <li className={`index2__item index2__item--${state}`} data-sub-indicator={s.id}>
      <div className="index2__line">
        <FormulaName s={s} />
        <span className="index2__points">
          {s.scored ? s.points === null ? <span className="index2__none">— / {s.pmax}</span> : t('panel.pointsOf', { points: formatDecimal(s.points), pmax: s.pmax }) : rateText(s)}
        </span>
      </div>
      {s.scored && (
        <div className="index2__bar" aria-hidden="true">
          <span style={{ width: `${barPercent(s.points, s.pmax)}%` }} />
        </div>
      )}
      <p className="index2__detail">
        {!s.scored && <span>{t('panel.shown')}</span>}
        {missing && <span className="index2__missing">{missing}</span>}
        {s.scored && s.rate !== null && (
          <span>
            {rateText(s)}
            {ratio && ` (${ratio})`}
            {s.pointsLost !== null && s.pointsLost > 0 ? ` · ${t('panel.lost', { points: formatDecimal(s.pointsLost) })}` : ` · ${t('panel.full')}`}
          </span>
        )}
        {coverage && <span>{coverage}</span>}
        {reported && <span>{t('panel.reportedBy', { who: reported.reportedBy, time: formatInstant(reported.reportedAt) })}</span>}
      </p>
    </li>
  );
}

function Group({ g }: { g: IndexV2GroupView }) {
  const { t } = useTranslation('indexV2');
  const headingId = `index2-${g.id}`;
  return (
    <section className="index2__group" aria-labelledby={headingId} data-group={g.id}>
      <h3 id={headingId} className="index2__group-name">
        {nameOf(g)}
      </h3>
      <p className="index2__group-total">{groupText(g)}</p>
      <div className="index2__bar index2__bar--group" aria-hidden="true">
        <span style={{ width: `${barPercent(g.earned, g.pmax)}%` }} />
      </div>
      {g.missing.length > 0 && <p className="index2__group-missing">{t('panel.missingIn', { ids: g.missing.join(', ') })}</p>}
      <ul className="index2__list">
        {g.subIndicators.map((s) => (
          <SubIndicatorRow key={s.id} s={s} />
        ))}
      </ul>
    </section>
  );
}

/**
 * The leader's national index (Decision 766) by group: each sub-indicator's
 * points of its maximum as a bar, its rate, what is missing and why, and its
 * formula on hover or focus. Below the map and the highest and lowest units.
 */
export function IndexV2Panel({ view, error }: { view: IndexV2View | null; error: unknown }) {
  const { t } = useTranslation('indexV2');
  return (
    <section className="panel panel--index2" aria-labelledby="index2-heading">
      <div className="panel__head">
        <h2 id="index2-heading">{t('panel.heading')}</h2>
        {view && view.available > 0 && <p className="index2__total">{indexTotalText(view)}</p>}
      </div>
      <p className="panel__note">{t('panel.note')}</p>
      {view === null ? (
        <p className="panel__text" role={error ? 'alert' : 'status'}>
          {error ? t('panel.failed', { reason: describeError(error) }) : t('panel.loading')}
        </p>
      ) : (
        <div className="index2__groups" data-earned={view.earned} data-available={view.available}>
          {view.groups.map((g) => (
            <Group key={g.id} g={g} />
          ))}
        </div>
      )}
    </section>
  );
}
