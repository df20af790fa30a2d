import { LINK_THRESHOLDS, type LinkInterval, type LinkOutage, type LinkReason, type LinkState, type WorkingCalendar, DAY_MS, workingMinutesBetween } from '@ioc/shared';

/**
 * A commune's link state, judged from its relay's heartbeats alone (pure functions,
 * so the same rules serve the current state, the timeline and the tests):
 * - `down`: no heartbeat for LINK_THRESHOLDS.downSeconds;
 * - `degraded`: silent for a few minutes (gapMs), or the last heartbeat reported a slow
 *   round trip or events waiting too long on the commune's side;
 * - `up`: otherwise; `unknown` before the first heartbeat ever.
 */
export interface Beat {
  /** Server time the heartbeat was received: relays' clocks are not trusted for this. */
  at: number;
  latencyMs: number | null;
  oldestBacklogSeconds: number | null;
  intervalSeconds: number;
}

export interface Assessment {
  state: LinkState;
  reasons: LinkReason[];
}

const DOWN_MS = LINK_THRESHOLDS.downSeconds * 1000;

/**
 * Silence that makes a link degraded: a few minutes, or three of the relay's own
 * intervals when it announces a slow heartbeat (so a relay set to every 5 minutes
 * is not "degraded" between two heartbeats), always short of `down`.
 */
export function gapMs(beat: Pick<Beat, 'intervalSeconds'>): number {
  return Math.min(DOWN_MS - 60_000, Math.max(LINK_THRESHOLDS.gapSeconds, 3 * beat.intervalSeconds) * 1000);
}

/** What one heartbeat says about the link, at the moment it arrives. */
export function assessBeat(beat: Beat): Assessment {
  const reasons: LinkReason[] = [];
  if (beat.latencyMs !== null && beat.latencyMs >= LINK_THRESHOLDS.latencyMs) reasons.push('latency');
  if (beat.oldestBacklogSeconds !== null && beat.oldestBacklogSeconds >= LINK_THRESHOLDS.backlogAgeSeconds) reasons.push('backlog');
  return { state: reasons.length > 0 ? 'degraded' : 'up', reasons };
}

/** The state at `now` after the last heartbeat `last` (null: never heard from), and since when silence decided it. */
export function assessAt(last: Beat | null, now: number): Assessment & { silentSince: number | null } {
  if (!last) return { state: 'unknown', reasons: [], silentSince: null };
  const silent = now - last.at;
  if (silent >= DOWN_MS) return { state: 'down', reasons: ['silent'], silentSince: last.at + DOWN_MS };
  if (silent >= gapMs(last)) return { state: 'degraded', reasons: ['gap'], silentSince: last.at + gapMs(last) };
  return { ...assessBeat(last), silentSince: null };
}

const sameReasons = (a: LinkReason[], b: LinkReason[]) => a.length === b.length && a.every((r, i) => r === b[i]);

/**
 * The link's states over [from, to): `before` is the last heartbeat before `from`
 * (null when none), `beats` those in [from, to) in time order. Adjacent intervals of
 * the same state and reasons are merged.
 */
export function linkIntervals(before: Beat | null, beats: readonly Beat[], from: number, to: number): { state: LinkState; reasons: LinkReason[]; from: number; to: number }[] {
  const out: { state: LinkState; reasons: LinkReason[]; from: number; to: number }[] = [];
  const push = (state: LinkState, reasons: LinkReason[], a: number, b: number) => {
    if (!(b > a)) return;
    const last = out[out.length - 1];
    if (last && last.to === a && last.state === state && sameReasons(last.reasons, reasons)) last.to = b;
    else out.push({ state, reasons, from: a, to: b });
  };
  // Between two heartbeats the state is the earlier one's, then degraded, then down as silence lasts.
  const silence = (prev: Beat | null, a: number, b: number) => {
    if (!prev) return push('unknown', [], a, b);
    const own = assessBeat(prev);
    const gapAt = prev.at + gapMs(prev);
    const downAt = prev.at + DOWN_MS;
    push(own.state, own.reasons, a, Math.min(b, gapAt));
    push('degraded', ['gap'], Math.max(a, gapAt), Math.min(b, downAt));
    push('down', ['silent'], Math.max(a, downAt), b);
  };
  let prev = before;
  let cursor = from;
  for (const beat of beats) {
    if (beat.at < from || beat.at >= to) continue;
    silence(prev, cursor, beat.at);
    cursor = beat.at;
    prev = beat;
  }
  silence(prev, cursor, to);
  return out;
}

/**
 * Outages: silences of `down` length or more, from the last heartbeat heard to the next
 * one (null while it lasts, measured to `now`), with the working minutes among them.
 * `beats` are every heartbeat known around the period, in time order.
 */
export function linkOutages(beats: readonly Beat[], now: number, calendar: WorkingCalendar): (LinkOutage & { fromMs: number; toMs: number })[] {
  const out: (LinkOutage & { fromMs: number; toMs: number })[] = [];
  const add = (a: number, b: number, ongoing: boolean) =>
    out.push({
      from: new Date(a).toISOString(),
      to: ongoing ? null : new Date(b).toISOString(),
      minutes: Math.round((b - a) / 60_000),
      workingMinutes: workingMinutesBetween(calendar, a, b, Math.ceil((b - a) / DAY_MS) + 1),
      fromMs: a,
      toMs: b,
    });
  for (let i = 0; i + 1 < beats.length; i++) {
    const a = beats[i]!.at;
    const b = beats[i + 1]!.at;
    if (b - a >= DOWN_MS) add(a, b, false);
  }
  const last = beats[beats.length - 1];
  if (last && now - last.at >= DOWN_MS) add(last.at, now, true);
  return out;
}

/** The intervals as the API shows them. */
export function toApiIntervals(xs: { state: LinkState; reasons: LinkReason[]; from: number; to: number }[]): LinkInterval[] {
  return xs.map((x) => ({ state: x.state, reasons: x.reasons, from: new Date(x.from).toISOString(), to: new Date(x.to).toISOString(), minutes: Math.round((x.to - x.from) / 60_000) }));
}
