import { describe, expect, it } from '@jest/globals';
import type { FeedbackStateCounts, FeedbackSummaryResponse } from '@ioc/shared';
import { setLanguage } from '../../i18n';
import { withParams } from '../../lib/params';
import { durationText, feedbackScopeParam, isFeedbackTopic, timeLeft, topicLabel, topicRows, unansweredFeedbackParams } from './feedback';

const counts = (open: number, overdue: number): FeedbackStateCounts => ({ open, overdue, answered_on_time: 0, answered_late: 0, total: open + overdue });

describe('citizen feedback on the operations screen', () => {
  it('says how an unanswered item stands: overdue by, or the time left, due soon within 48 hours', () => {
    expect(timeLeft({ state: 'overdue', hoursLeft: -5.2 })).toEqual({ text: 'Quá hạn 5 giờ', tone: 'overdue' });
    expect(timeLeft({ state: 'overdue', hoursLeft: -80 })).toEqual({ text: 'Quá hạn 3 ngày', tone: 'overdue' });
    expect(timeLeft({ state: 'open', hoursLeft: 0.4 })).toEqual({ text: 'Còn 1 giờ', tone: 'soon' });
    expect(timeLeft({ state: 'open', hoursLeft: 47.9 })).toEqual({ text: 'Còn 47 giờ', tone: 'soon' });
    expect(timeLeft({ state: 'open', hoursLeft: 120 })).toEqual({ text: 'Còn 5 ngày', tone: 'ok' });
    expect(timeLeft({ state: 'answered_on_time', hoursLeft: null })).toBeNull();
  });

  it('counts the unanswered items by topic, with the topics named in the language shown', () => {
    const summary = { byTopic: { procedure: counts(3, 2), staff: counts(0, 1), other: counts(0, 0) } } as unknown as FeedbackSummaryResponse;
    expect(topicRows(summary)).toEqual([
      { topic: 'procedure', open: 3, overdue: 2, total: 5 },
      { topic: 'staff', open: 0, overdue: 1, total: 1 },
      { topic: 'other', open: 0, overdue: 0, total: 0 },
    ]);
    expect(topicLabel('staff')).toBe('Cán bộ, công chức');
    setLanguage('en');
    try {
      expect(topicLabel('staff')).toBe('Staff conduct');
      expect(timeLeft({ state: 'overdue', hoursLeft: -1 })!.text).toBe('Overdue by 1 hour');
      expect(durationText(72)).toBe('3 days');
    } finally {
      setLanguage('vi');
    }
  });

  it('takes only scopes and topics it knows from the address, and links a commune’s unanswered feedback', () => {
    expect(feedbackScopeParam('commune:00004')).toBe('commune:00004');
    expect(feedbackScopeParam('province:01')).toBe('province:01');
    expect(feedbackScopeParam('commune:4')).toBeNull();
    expect(feedbackScopeParam(null)).toBeNull();
    expect(isFeedbackTopic('procedure')).toBe(true);
    expect(isFeedbackTopic('weather')).toBe(false);
    expect(withParams('/operations', unansweredFeedbackParams('00004'))).toBe('/operations?pscope=commune%3A00004&pakn=unanswered');
  });
});
