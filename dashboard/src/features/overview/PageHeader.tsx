import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';

export interface Crumb {
  label: string;
  href: string | null;
}

interface Props {
  /** Nation › province › commune, the last being this page. */
  crumbs: Crumb[];
  title: string;
  periodLabel: string | null;
  asOf: string | null;
  /** What to say in place of the as-of time while there is none. */
  noAsOf: string;
  demo: boolean;
  controls: ReactNode;
  actions?: ReactNode;
  status: ReactNode;
}

/** A page's own header: where it is, for which period, as of when, and how live. */
export function PageHeader({ crumbs, title, periodLabel, asOf, noAsOf, demo, controls, actions, status }: Props) {
  const { t } = useTranslation('overview');
  return (
    <header className="page-header">
      <div className="page-header__title">
        {crumbs.length > 1 && (
          <nav aria-label={t('header.breadcrumb')} className="breadcrumb">
            <ol>
              {crumbs.map((c, i) => (
                <li key={`${c.label}-${i}`}>
                  {c.href && i < crumbs.length - 1 ? <Link href={c.href}>{c.label}</Link> : <span aria-current={i === crumbs.length - 1 ? 'page' : undefined}>{c.label}</span>}
                </li>
              ))}
            </ol>
          </nav>
        )}
        <h1>{title}</h1>
        <p className="page-header__meta">
          {periodLabel && <span>{t('header.period', { period: periodLabel })}</span>}
          <span className="page-header__asof">{asOf ? t('header.asOf', { time: asOf }) : noAsOf}</span>
          {demo && <span className="badge badge--demo">{t('header.demo')}</span>}
        </p>
        {status}
      </div>
      <div className="page-header__side">
        {controls}
        {actions && <div className="page-header__actions no-print">{actions}</div>}
      </div>
    </header>
  );
}
