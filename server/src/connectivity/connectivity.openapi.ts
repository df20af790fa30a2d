import { LINK_THRESHOLDS } from '@ioc/shared';

/** OpenAPI documentation of the connectivity endpoints (kept apart so the controller stays one line per endpoint). */

export const HEARTBEAT_DESCRIPTION =
  'A relay at a commune (ioc-relay, README "For commune IT officers") reports that its link is alive, every minute by default, ' +
  "with the round trip it measured and the events waiting on its side. The commune is the key's commune, or `communeCode`, which " +
  "a province or nation key must give and which must lie in the key's scope (403 otherwise). Every field is optional. The server " +
  'stamps the heartbeat with its own clock and judges the link: `degraded` when the round trip is ' +
  `${LINK_THRESHOLDS.latencyMs} ms or more or events have waited ${LINK_THRESHOLDS.backlogAgeSeconds / 60} minutes or more; ` +
  'the answer says so.';

export const HEARTBEAT_EXAMPLE = {
  communeCode: '00004',
  sentAt: '2026-01-05T08:30:00+07:00',
  latencyMs: 420,
  backlogEvents: 1250,
  oldestBacklogSeconds: 95,
  intervalSeconds: 60,
  agent: 'ioc-relay/0.1.0',
};

export const HEARTBEAT_RESPONSE_EXAMPLE = { communeCode: '00004', receivedAt: '2026-01-05T01:30:00.412Z', state: 'up', reasons: [] };

export const CONNECTIVITY_DESCRIPTION =
  'Every commune of the scope with the state of its link now: `up`, `degraded` (a slow round trip, events waiting too long on the ' +
  `commune's side, or no heartbeat for ${LINK_THRESHOLDS.gapSeconds / 60} minutes), \`down\` (no heartbeat for ${LINK_THRESHOLDS.downSeconds / 60} minutes) ` +
  'or `unknown` (the commune never sent a heartbeat: it runs no relay). Worst first. Needs the figures of every commune listed ' +
  "(a province's list: its leaders and operators; one commune: also its chair).";

export const CONNECTIVITY_EXAMPLE = {
  scope: 'province:04',
  asOf: '2026-01-05T03:00:00.000Z',
  counts: { up: 40, degraded: 3, down: 1, unknown: 12 },
  communes: [
    {
      communeCode: '01273',
      communeName: 'Xã Trà Lĩnh',
      provinceCode: '04',
      state: 'down',
      reasons: ['silent'],
      since: '2026-01-05T02:10:00.000Z',
      lastHeartbeat: {
        receivedAt: '2026-01-05T01:40:00.000Z',
        sentAt: '2026-01-05T08:40:01+07:00',
        latencyMs: 1830,
        backlogEvents: 310,
        oldestBacklogSeconds: 3600,
        intervalSeconds: 60,
        agent: 'ioc-relay/0.1.0',
      },
    },
  ],
};

export const TIMELINE_DESCRIPTION =
  "The states of one commune's link over local days (Asia/Ho_Chi_Minh), at most 31, up to now: intervals of one state, and the " +
  `outages (no heartbeat for ${LINK_THRESHOLDS.downSeconds / 60} minutes or more), each from the last heartbeat heard to the next one ` +
  '(`to` null while it lasts), with its minutes in office hours (ALERT_WORKING_HOURS, ALERT_HOLIDAYS). An outage is shown whole even where ' +
  'it reaches outside the days asked; `outageWorkingMinutes` counts only the part inside them.';

export const TIMELINE_EXAMPLE = {
  communeCode: '01273',
  communeName: 'Xã Trà Lĩnh',
  from: '2026-01-05',
  to: '2026-01-05',
  asOf: '2026-01-05T10:00:00.000Z',
  intervals: [
    { state: 'unknown', reasons: [], from: '2026-01-04T17:00:00.000Z', to: '2026-01-05T00:30:00.000Z', minutes: 450 },
    { state: 'up', reasons: [], from: '2026-01-05T00:30:00.000Z', to: '2026-01-05T01:43:00.000Z', minutes: 73 },
    { state: 'degraded', reasons: ['gap'], from: '2026-01-05T01:43:00.000Z', to: '2026-01-05T02:10:00.000Z', minutes: 27 },
    { state: 'down', reasons: ['silent'], from: '2026-01-05T02:10:00.000Z', to: '2026-01-05T05:12:00.000Z', minutes: 182 },
    { state: 'degraded', reasons: ['backlog'], from: '2026-01-05T05:12:00.000Z', to: '2026-01-05T05:20:00.000Z', minutes: 8 },
    { state: 'up', reasons: [], from: '2026-01-05T05:20:00.000Z', to: '2026-01-05T10:00:00.000Z', minutes: 280 },
  ],
  outages: [{ from: '2026-01-05T01:40:00.000Z', to: '2026-01-05T05:12:00.000Z', minutes: 212, workingMinutes: 152 }],
  totals: { up: 353, degraded: 35, down: 182, unknown: 450 },
  outageWorkingMinutes: 152,
  heartbeats: 391,
};
