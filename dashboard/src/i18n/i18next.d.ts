import 'i18next';
import type { app } from './app';
import type { auth } from './auth';
import type { commune } from './commune';
import type { common } from './common';
import type { map } from './map';
import type { notifications } from './notifications';
import type { operations } from './operations';
import type { overview } from './overview';
import type { reports } from './reports';
import type { sectors } from './sectors';
import type { readiness } from './readiness';
import type { indexV2 } from './indexV2';

/**
 * The texts' keys as types: `t('ranking.heading')` with a key that is not in the
 * catalogue (Vietnamese, the reference language) fails the build, not a screen.
 * English has the same keys (i18n/resources.spec.ts checks every one).
 */
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    resources: {
      app: typeof app.vi;
      auth: typeof auth.vi;
      commune: typeof commune.vi;
      common: typeof common.vi;
      map: typeof map.vi;
      notifications: typeof notifications.vi;
      operations: typeof operations.vi;
      overview: typeof overview.vi;
      reports: typeof reports.vi;
      sectors: typeof sectors.vi;
      readiness: typeof readiness.vi;
      indexV2: typeof indexV2.vi;
    };
  }
}
