import { KPI_VERSION } from '@ioc/shared';
import { t } from '../../i18n';
import { formatInstant } from '../../lib/format';
import type { XlsxAbout } from '../../lib/xlsx';

/** What an export of the overview is about, for its file name and its first sheet. */
export interface ExportInfo {
  scopeName: string;
  /** The period as the header says it, with its dates: "Tháng này · 01/11/2026 – 21/11/2026". */
  periodText: string;
  /** Words for the file name: scope and dates. */
  fileParts: string[];
  /** Who exports: "Nguyễn Văn Lãnh (lanhdao)". */
  who: string;
}

export function aboutSheet(info: ExportInfo, now: number = Date.now()): XlsxAbout {
  const h = (key: 'scope' | 'period' | 'exportedAt' | 'exportedBy' | 'definition') => t(`export.${key}`, { ns: 'overview' });
  return {
    title: t('export.title', { ns: 'overview' }),
    sheetName: t('export.sheet', { ns: 'overview' }),
    lines: [
      [h('scope'), info.scopeName],
      [h('period'), info.periodText],
      [h('exportedAt'), formatInstant(now)],
      [h('exportedBy'), info.who],
      [h('definition'), KPI_VERSION],
    ],
  };
}
