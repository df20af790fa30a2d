import type { LiveData, TopicState, TopicStatus } from '@ioc/shared';
import { formatHourMinute } from './format';
import { type KeysUnder, textsOf } from '../i18n/keys';

/** The app's socket to `/live`: `connecting` until it first connects, `reconnecting` whenever it has dropped since. */
export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting';

export interface LiveTopicView<D extends LiveData = LiveData> {
  state: TopicState<D> | null;
  /** Why the subscription failed (it is retried); null while it holds. */
  error: string | null;
  /** Local ms since which nothing arrived for the topic, null while it is current. */
  staleSince: number | null;
}

/** What a page built from several topics can say about all of them together. */
export interface LiveSummary {
  /** The least current status; `syncing` while a topic has no state yet. */
  status: TopicStatus;
  /** The earliest staleSince of the topics. */
  staleSince: number | null;
  /** The oldest asOf: every figure on screen is true at least up to it. */
  asOf: string | null;
}

const STATUS_ORDER: readonly TopicStatus[] = ['live', 'syncing', 'reconnecting'];

export function summarizeTopics(views: readonly LiveTopicView[]): LiveSummary {
  let status: TopicStatus = 'live';
  let staleSince: number | null = null;
  let asOf: string | null = null;
  views.forEach((v, i) => {
    const s = v.state?.status ?? 'syncing';
    if (STATUS_ORDER.indexOf(s) > STATUS_ORDER.indexOf(status)) status = s;
    if (v.staleSince !== null && (staleSince === null || v.staleSince < staleSince)) staleSince = v.staleSince;
    const a = v.state?.asOf ?? null;
    // One topic without a time means the page as a whole has none yet.
    if (i === 0 || (asOf !== null && (a === null || Date.parse(a) < Date.parse(asOf)))) asOf = a;
  });
  return { status, staleSince, asOf };
}

export interface LiveIndicator {
  tone: 'live' | 'pending' | 'stale';
  text: string;
}

/** The header's words for the live stream's state, in the current language. */
export function liveIndicator(connection: ConnectionStatus, live: Pick<LiveSummary, 'status' | 'staleSince'>): LiveIndicator {
  const text = (key: KeysUnder<'common', 'live'>, values: Record<string, unknown> = {}) => textsOf('common')(`live.${key}`, values);
  const reconnecting = connection === 'reconnecting' || live.status === 'reconnecting';
  if (live.staleSince !== null) {
    const time = formatHourMinute(live.staleSince);
    return { tone: 'stale', text: text(reconnecting ? 'staleReconnecting' : 'stale', { time }) };
  }
  if (reconnecting) return { tone: 'pending', text: text('reconnecting') };
  if (connection === 'connecting') return { tone: 'pending', text: text('connecting') };
  if (live.status === 'syncing') return { tone: 'pending', text: text('syncing') };
  return { tone: 'live', text: text('live') };
}
