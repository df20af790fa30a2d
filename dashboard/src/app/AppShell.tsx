import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'wouter';
import { AccountMenu } from '../features/auth/AccountMenu';
import { LanguageToggle } from '../features/auth/LanguageToggle';
import { useSession } from '../features/auth/useAuth';
import { type Section, homePath, paths, sectionsOf } from './routes';

function sectionPath(section: Section, home: string, communeCode: string | null): string {
  switch (section) {
    case 'overview':
      return home.startsWith('/overview') ? home : paths.overview();
    case 'operations':
      return paths.operations();
    case 'commune':
      return communeCode ? paths.commune(communeCode) : paths.overview();
    case 'wall':
      return paths.wall();
    case 'notifications':
      return paths.notifications();
    case 'reports':
      return paths.reports();
    case 'sectors':
      return paths.sectors();
  }
}

/** The frame of every signed-in page: the product, the sections the person's role offers, language and account. */
export function AppShell({ children, tools }: { children: ReactNode; tools?: ReactNode }) {
  const { t } = useTranslation('app');
  const { person } = useSession();
  const [location] = useLocation();
  const home = homePath(person);
  const communeCode = person.scope.kind === 'commune' ? person.scope.code : null;
  const overviewHome = person.role === 'commune_chair' && person.scope.kind === 'commune' ? paths.overview(`province:${person.scope.provinceCode}`) : home;

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('skip')}
      </a>
      <div className="topbar">
        <Link href={home} className="topbar__brand">
          <span className="topbar__logo" aria-hidden="true">
            IOC
          </span>
          <span className="topbar__name">{t('product')}</span>
        </Link>
        <nav className="topbar__nav" aria-label={t('navigation')}>
          <ul>
            {sectionsOf(person).map((s) => {
              const href = sectionPath(s, overviewHome, communeCode);
              const current = location === href || location.startsWith(`/${s}`);
              return (
                <li key={s}>
                  <Link href={href} className="topbar__link" aria-current={current ? 'page' : undefined}>
                    {t(`sections.${s}`)}
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
        <div className="topbar__tools">
          {tools}
          <LanguageToggle />
          <AccountMenu />
        </div>
      </div>
      {children}
    </div>
  );
}
