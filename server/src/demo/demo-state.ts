import type { Queryable } from '../database/queryable.js';

/*
 * The demo feed's one row (table demo_state): how far its history and its live
 * simulation have gone, so a restart goes on where the last run stopped.
 */

/** Instants in epoch ms. */
export interface DemoState {
  /** Where the live feed started: the history holds what was delivered before, the live feed everything from it on. */
  liveFrom: number;
  deliveredUntil: number;
  simUntil: number;
  historyFrom: number;
  historyTarget: number;
}

/** The feed's state, or null before its first run. */
export async function loadDemoState(q: Queryable): Promise<DemoState | null> {
  const rows = (await q.query(
    `SELECT extract(epoch FROM live_from) * 1000 AS l, extract(epoch FROM delivered_until) * 1000 AS d, extract(epoch FROM sim_until) * 1000 AS s,
            extract(epoch FROM history_from) * 1000 AS hf, extract(epoch FROM history_target) * 1000 AS ht FROM demo_state WHERE id = 1`,
  )) as { l: string; d: string; s: string; hf: string; ht: string }[];
  const r = rows[0];
  return r ? { liveFrom: Number(r.l), deliveredUntil: Number(r.d), simUntil: Number(r.s), historyFrom: Number(r.hf), historyTarget: Number(r.ht) } : null;
}

/** Saves the feed's state; where the live feed started is kept from the first save. */
export async function saveDemoState(q: Queryable, s: DemoState): Promise<void> {
  await q.query(
    `INSERT INTO demo_state (id, delivered_until, sim_until, history_from, history_target, live_from, updated_at)
     VALUES (1, $1, $2, $3, $4, $5, now())
     ON CONFLICT (id) DO UPDATE SET delivered_until = $1, sim_until = $2, history_from = $3, history_target = $4, updated_at = now()`,
    [new Date(s.deliveredUntil).toISOString(), new Date(s.simUntil).toISOString(), new Date(s.historyFrom).toISOString(), new Date(s.historyTarget).toISOString(), new Date(s.liveFrom).toISOString()],
  );
}
