import { KPI_CATALOGUE, type IndexPoints, type KpiDefinition, type KpiSet } from '@ioc/shared';
import type { ReactNode } from 'react';
import { formatDecimal, formatPercent, formatRatioParts } from '../../lib/format';

function Meter({ value, target }: { value: number | null; target: number | null }) {
  const width = value === null ? 0 : Math.min(100, Math.max(0, value));
  return (
    <div className="meter" aria-hidden="true">
      <div className="meter__fill" style={{ width: `${width}%` }} />
      {target !== null && target < 100 && <div className="meter__target" style={{ left: `${target}%` }} />}
    </div>
  );
}

function KpiCard({ def, kpis }: { def: KpiDefinition; kpis: KpiSet }) {
  const titleId = `kpi-${def.id}`;
  let value: number | null;
  let detail: ReactNode;
  if (def.id === 'satisfaction') {
    const s = kpis.satisfaction;
    value = s.value;
    detail =
      s.value === null
        ? 'Chưa có hồ sơ giải quyết trong kỳ'
        : (
          <>
            <span className="nowrap">Quá hạn {formatPercent(s.overduePercent)}</span> ·{' '}
            <span className="nowrap">Phản ánh {formatPercent(s.complaintPercent)}</span>
          </>
        );
  } else {
    const r = kpis[def.id];
    value = r.value;
    if (r.denominator === 0) {
      detail = 'Chưa có hồ sơ trong kỳ';
    } else {
      const [num, den] = formatRatioParts(r.numerator, r.denominator);
      detail = (
        <>
          <span className="nowrap">{num}</span> <span className="nowrap">{den}</span>
        </>
      );
    }
  }
  const target = def.fullScoreAt !== null && def.fullScoreAt < 100 ? def.fullScoreAt : null;
  return (
    <article className="kpi-card" aria-labelledby={titleId}>
      <h3 id={titleId} className="kpi-card__name">
        {def.nameVi}
      </h3>
      <p className={value === null ? 'kpi-card__value kpi-card__value--empty' : 'kpi-card__value'}>
        {formatPercent(value)}
        {value === null && <span className="visually-hidden"> (không có số liệu)</span>}
      </p>
      <Meter value={value} target={target} />
      <p className="kpi-card__detail">{detail}</p>
      <p className="kpi-card__foot">
        <span>{def.reference}</span>
        {target !== null && <span>Đủ điểm khi ≥ {target}%</span>}
      </p>
    </article>
  );
}

/** The ranking key: points earned over the computable index components, out of 100. */
function IndexCard({ index }: { index: IndexPoints }) {
  return (
    <article className="kpi-card kpi-card--index" aria-labelledby="kpi-index">
      <h3 id="kpi-index" className="kpi-card__name">
        Điểm chỉ số phục vụ
      </h3>
      <p className={index.score === null ? 'kpi-card__value kpi-card__value--empty' : 'kpi-card__value'}>
        {formatDecimal(index.score)}
        {index.score !== null && <span className="kpi-card__unit">/ 100</span>}
        {index.score === null && <span className="visually-hidden"> (không có số liệu)</span>}
      </p>
      <Meter value={index.score} target={null} />
      <p className="kpi-card__detail">
        {index.maxPoints === 0
          ? 'Chưa có chỉ số thành phần nào'
          : `${formatDecimal(index.points)} / ${index.maxPoints} điểm thành phần`}
      </p>
      <p className="kpi-card__foot">
        <span>Chưa gồm tiêu chí công khai, minh bạch</span>
      </p>
    </article>
  );
}

export function KpiCards({ kpis, index }: { kpis: KpiSet; index: IndexPoints }) {
  return (
    <div className="kpi-grid">
      <IndexCard index={index} />
      {KPI_CATALOGUE.map((def) => (
        <KpiCard key={def.id} def={def} kpis={kpis} />
      ))}
    </div>
  );
}

export function KpiCardsSkeleton() {
  return (
    <div className="kpi-grid" aria-hidden="true">
      {[{ id: 'index', nameVi: 'Điểm chỉ số phục vụ' }, ...KPI_CATALOGUE].map((d) => (
        <div key={d.id} className="kpi-card kpi-card--skeleton">
          <p className="kpi-card__name">{d.nameVi}</p>
          <div className="skeleton skeleton--value" />
          <div className="skeleton skeleton--line" />
          <div className="skeleton skeleton--line skeleton--short" />
        </div>
      ))}
    </div>
  );
}
