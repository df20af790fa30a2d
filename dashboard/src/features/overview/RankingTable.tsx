import type { RankingEntry } from '@ioc/shared';
import { NO_VALUE, formatDecimal, formatPercent } from '../../lib/format';

/** Best first; units without a score (no dossiers) go last, by name. */
export function sortRanking(entries: readonly RankingEntry[]): RankingEntry[] {
  return [...entries].sort((a, b) => {
    if (a.rank !== null && b.rank !== null) return a.rank - b.rank;
    if (a.rank !== null) return -1;
    if (b.rank !== null) return 1;
    return a.unitName.localeCompare(b.unitName, 'vi');
  });
}

function ScoreCell({ score }: { score: number | null }) {
  return (
    <td className="num score-cell">
      {score !== null && (
        <span className="score-cell__bar" aria-hidden="true">
          <span style={{ width: `${Math.min(100, Math.max(0, score))}%` }} />
        </span>
      )}
      <span className="score-cell__value">{formatDecimal(score)}</span>
    </td>
  );
}

interface Props {
  entries: readonly RankingEntry[];
  caption: string;
  /** The units' column, e.g. "Tỉnh, thành phố". */
  unitHeader: string;
}

export function RankingTable({ entries, caption, unitHeader }: Props) {
  const rows = sortRanking(entries);
  return (
    // Focusable so keyboard users can scroll the table inside its panel.
    <div className="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table className="ranking">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col" className="num">
              Hạng
            </th>
            <th scope="col">{unitHeader}</th>
            <th scope="col" className="num">
              Điểm chỉ số
            </th>
            <th scope="col" className="num">
              Đúng hạn
            </th>
            <th scope="col" className="num">
              Trực tuyến
            </th>
            <th scope="col" className="num">
              Số hóa
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((e) => (
            <tr key={e.unitCode}>
              <td className="num rank">{e.rank ?? NO_VALUE}</td>
              <th scope="row">{e.unitName}</th>
              <ScoreCell score={e.index.score} />
              <td className="num">{formatPercent(e.kpis.onTime.value)}</td>
              <td className="num">{formatPercent(e.kpis.online.value)}</td>
              <td className="num">{formatPercent(e.kpis.digitized.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
