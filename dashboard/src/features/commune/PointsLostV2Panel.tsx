import { useTranslation } from 'react-i18next';
import type { DossierState, IndexV2View } from '@ioc/shared';
import { formatCount, formatDecimal } from '../../lib/format';
import { type LostAction, barPercent, lostList } from '../../lib/indexV2';
import { FormulaName } from '../overview/IndexV2Panel';
import { EmptyPanel } from '../../lib/StatePanels';
import '../overview/indexV2.css';

/** The dossiers panel's filter each action opens (null: every dossier to act on). */
const FILTER_OF: Record<Exclude<LostAction, null>, DossierState | null> = { dueSoon: 'due_soon', overdue: 'overdue', toAct: null };

interface Props {
  view: IndexV2View;
  periodText: string;
  /** Opens the dossiers panel with a filter; null when the person may not see the dossiers. */
  onDossiers: ((filter: DossierState | null) => void) | null;
  /** Where the commune's unanswered citizen feedback is listed (5.2, 5.3); null when the person may not see it. */
  feedbackHref?: string | null;
}

/**
 * The chair's "points lost" on the national index (Decision 766): the scored
 * sub-indicators by points at stake, the most lost first, each with what can win
 * them back and, where the dashboard lists them, the dossiers that still can.
 * Sub-indicators without data are listed apart: neither earned nor lost.
 */
export function PointsLostV2Panel({ view, periodText, onDossiers, feedbackHref = null }: Props) {
  const { t } = useTranslation('indexV2');
  const list = lostList(view);
  const names = Object.fromEntries(view.groups.flatMap((g) => g.subIndicators.map((s) => [s.id, s])));
  return (
    <section className="panel commune-panel" aria-labelledby="lost-heading" data-index-version="kpi-v2">
      <div className="panel__head">
        <h2 id="lost-heading">{t('lost.heading')}</h2>
        {view.available > 0 && (
          <p className="panel__note">
            {list.missingPoints > 0
              ? t('lost.note', { lost: formatDecimal(list.lost), available: formatCount(list.available), missing: formatCount(list.missingPoints) })
              : t('lost.noteAll', { lost: formatDecimal(list.lost), available: formatCount(list.available) })}
          </p>
        )}
      </div>
      {view.available === 0 ? (
        <EmptyPanel>{t('lost.empty')}</EmptyPanel>
      ) : (
        <table className="ranking commune-table commune-lost commune-lost--v2">
          <caption className="visually-hidden">{t('lost.caption', { period: periodText })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('lost.col.name')}</th>
              <th scope="col" className="num">
                {t('lost.col.lost')}
              </th>
              <th scope="col" className="num">
                {t('lost.col.points')}
              </th>
              <th scope="col">{t('lost.col.action')}</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((i) => (
              <tr key={i.id} className={i.lost > 0 ? 'commune-lost__row--lost' : undefined} data-sub-indicator={i.id}>
                <th scope="row">
                  <FormulaName s={names[i.id]!} />
                  <span className="commune-lost__detail">{i.groupName}</span>
                </th>
                <td className={i.lost > 0 ? 'num commune-lost__lost commune-lost__lost--some' : 'num commune-lost__lost'}>{i.lost > 0 ? `−${formatDecimal(i.lost)}` : formatDecimal(0)}</td>
                <td className="num">
                  {formatDecimal(i.points)} / {i.pmax}
                  <span className="index2__bar" aria-hidden="true">
                    <span style={{ width: `${barPercent(i.points, i.pmax)}%` }} />
                  </span>
                </td>
                <td>
                  {i.lost > 0 ? (
                    <>
                      <span className="commune-lost__text">{t(`lost.hint.${i.hint}`)}</span>
                      {i.action !== null && onDossiers && (
                        <button type="button" className="commune-lost__link" onClick={() => onDossiers(FILTER_OF[i.action!])}>
                          {t(`lost.link.${i.action}`)}
                        </button>
                      )}
                      {i.hint === 'feedback' && feedbackHref && (
                        <a className="commune-lost__link" href={`#${feedbackHref}`}>
                          {t('lost.link.feedback')}
                        </a>
                      )}
                    </>
                  ) : (
                    <span className="commune-lost__detail">{t('panel.full')}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.items.length > 0 && list.lost === 0 && <p className="panel__text">{t('lost.none')}</p>}
      {list.missing.length > 0 && (
        <div className="commune-lost__missing">
          <h3 className="subheading">{t('lost.missingHeading', { points: formatCount(list.missingPoints) })}</h3>
          <ul>
            {list.missing.map((m) => (
              <li key={m.id} data-sub-indicator={m.id}>
                <FormulaName s={names[m.id]!} />{' '}
                <span className="commune-lost__detail">
                  (— / {m.pmax}) · {t(`missing.${m.reason}`)}
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
