import { Init1763712000000 } from './1763712000000-init.js';
import { Live1763798400000 } from './1763798400000-live.js';
import { Alerts1763884800000 } from './1763884800000-alerts.js';
import { Auth1763971200000 } from './1763971200000-auth.js';
import { DossierLists1764057600000 } from './1764057600000-dossier-lists.js';
import { AuthRotation1764144000000 } from './1764144000000-auth-rotation.js';
import { EventSources1764230400000 } from './1764230400000-event-sources.js';
import { LogFirst1764316800000 } from './1764316800000-log-first.js';
import { HistoryLoads1764576000000 } from './1764576000000-history-loads.js';
import { LogPartitions1764662400000 } from './1764662400000-log-partitions.js';
import { RunningStocks1764403200000 } from './1764403200000-running-stocks.js';
import { Imports1764489600000 } from './1764489600000-imports.js';
import { RollupChanges1764835200000 } from './1764835200000-rollup-changes.js';
import { DemoLiveFrom1764748800000 } from './1764748800000-demo-live-from.js';
import { Notifications1765008000000 } from './1765008000000-notifications.js';
import { Connectivity1765094400000 } from './1765094400000-connectivity.js';
import { Reports1765180800000 } from './1765180800000-reports.js';
import { KpiV21765267200000 } from './1765267200000-kpi-v2.js';
import { ReportedValues1765353600000 } from './1765353600000-reported-values.js';
import { Readiness1765440000000 } from './1765440000000-readiness.js';
import { AlertEvaluation1765526400000 } from './1765526400000-alert-evaluation.js';
import { Feedback1765612800000 } from './1765612800000-feedback.js';
import { AssignmentNotices1765872000000 } from './1765872000000-assignment-notices.js';
import { FeeProcedures1765958400000 } from './1765958400000-fee-procedures.js';

/** Every migration, in order. */
export const MIGRATIONS = [
  Init1763712000000,
  Live1763798400000,
  Alerts1763884800000,
  Auth1763971200000,
  DossierLists1764057600000,
  AuthRotation1764144000000,
  EventSources1764230400000,
  LogFirst1764316800000,
  RunningStocks1764403200000,
  Imports1764489600000,
  HistoryLoads1764576000000,
  LogPartitions1764662400000,
  DemoLiveFrom1764748800000,
  RollupChanges1764835200000,
  Notifications1765008000000,
  Connectivity1765094400000,
  Reports1765180800000,
  KpiV21765267200000,
  ReportedValues1765353600000,
  Readiness1765440000000,
  AlertEvaluation1765526400000,
  Feedback1765612800000,
  AssignmentNotices1765872000000,
  FeeProcedures1765958400000,
];
