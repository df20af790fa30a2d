import type { AlertSummary } from '@ioc/shared';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { paths } from '../../app/routes';
import { ruleName } from './alertList';

interface Props {
  alerts: readonly AlertSummary[];
  provinceName: (code: string) => string | null;
  linkClassName: string;
}

/** The first three alerts of a banner as links (rule — unit, province), then how many more. */
export function AlertLinks({ alerts, provinceName, linkClassName }: Props) {
  const { t } = useTranslation('operations');
  return (
    <>
      {alerts.slice(0, 3).map((a, i) => (
        <span key={a.id}>
          {i > 0 && '; '}
          <Link href={paths.alert(a.id)} className={linkClassName}>
            {ruleName(a)} — {a.unitName}
            {a.unitCode.length === 5 && provinceName(a.provinceCode) ? `, ${provinceName(a.provinceCode)}` : ''}
          </Link>
        </span>
      ))}
      {alerts.length > 3 && ` ${t('banner.more', { n: alerts.length - 3 })}`}
    </>
  );
}
