import { FEEDBACK_TOPICS, FEEDBACK_TOPIC_LABELS, type FeedbackItem, type FeedbackSummaryResponse, type FeedbackTopic } from '@ioc/shared';
import { currentLanguage, t } from '../../i18n';
import { api } from '../../lib/api';

/**
 * Citizen feedback (phản ánh, kiến nghị: PAKN) on the operations screen: the
 * items awaiting an answer (`/feedback?status=overdue,open`) and the counts of
 * the scope (`/feedback/summary`), with the words they are shown in.
 */

/** Items of one page of the list. */
export const FEEDBACK_PAGE_SIZE = 20;
/** An open item due within this many hours is "due soon". */
export const DUE_SOON_HOURS = 48;

/** The address parameters of the panel: its scope (`pscope=commune:00004`, within the person's), its topic, its page, and `pakn` to bring it into view. */
export const FEEDBACK_PARAMS = { scope: 'pscope', topic: 'ptopic', page: 'ppage', focus: 'pakn' } as const;

export function isFeedbackTopic(s: string | null): s is FeedbackTopic {
  return s !== null && (FEEDBACK_TOPICS as readonly string[]).includes(s);
}

/** A scope the panel may be pointed at from an address: `nation`, `province:NN` or `commune:NNNNN`; anything else is not taken. */
export function feedbackScopeParam(s: string | null): string | null {
  return s !== null && /^(nation|province:\d{2}|commune:\d{5})$/.test(s) ? s : null;
}

/** Where the chair's "points lost" sends 5.2 and 5.3: the commune's feedback awaiting an answer, on the operations screen. */
export function unansweredFeedbackParams(communeCode: string): Record<string, string> {
  return { [FEEDBACK_PARAMS.scope]: `commune:${communeCode}`, [FEEDBACK_PARAMS.focus]: 'unanswered' };
}

export function topicLabel(topic: FeedbackTopic): string {
  return FEEDBACK_TOPIC_LABELS[topic][currentLanguage()];
}

/** "5 giờ", "3 ngày": whole hours under two days, whole days from then on. */
export function durationText(hours: number): string {
  const h = Math.abs(hours);
  if (h < 48) {
    const count = Math.max(1, Math.floor(h));
    return t('operations:feedback.hours', { count });
  }
  return t('operations:feedback.days', { count: Math.floor(h / 24) });
}

/** How an unanswered item stands: "Quá hạn 5 giờ", "Còn 3 ngày", and whether it is due soon. */
export function timeLeft(item: Pick<FeedbackItem, 'state' | 'hoursLeft'>): { text: string; tone: 'overdue' | 'soon' | 'ok' } | null {
  if (item.hoursLeft === null) return null;
  if (item.state === 'overdue' || item.hoursLeft < 0) return { text: t('operations:feedback.overdueBy', { duration: durationText(item.hoursLeft) }), tone: 'overdue' };
  return { text: t('operations:feedback.leftFor', { duration: durationText(item.hoursLeft) }), tone: item.hoursLeft <= DUE_SOON_HOURS ? 'soon' : 'ok' };
}

/** The unanswered items of each topic, for the counts by topic. */
export function topicRows(summary: FeedbackSummaryResponse): { topic: FeedbackTopic; open: number; overdue: number; total: number }[] {
  return FEEDBACK_TOPICS.map((topic) => {
    const c = summary.byTopic[topic];
    return { topic, open: c.open, overdue: c.overdue, total: c.open + c.overdue };
  });
}

export function fetchFeedbackList(q: { scope: string; topic: FeedbackTopic | null; page: number }, signal: AbortSignal) {
  const offset = (q.page - 1) * FEEDBACK_PAGE_SIZE;
  return api.get('feedback.list', { query: { scope: q.scope, status: 'overdue,open', topic: q.topic ?? undefined, limit: FEEDBACK_PAGE_SIZE, offset: offset || undefined } }, signal);
}

export function fetchFeedbackSummary(scope: string, signal: AbortSignal) {
  return api.get('feedback.summary', { query: { scope } }, signal);
}
