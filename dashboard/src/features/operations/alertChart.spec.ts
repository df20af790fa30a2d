import { describe, expect, it } from '@jest/globals';
import type { KpiCounts, KpiSet, SeriesResponse } from '@ioc/shared';
import { axisTimeLabel, chartPlanOf, toAlertChartOption } from './alertChart';
import { describeFiring, historyText, thresholdRows } from './firing';
import { detailOf } from './testAlerts';

const NOW = Date.parse('2026-11-18T05:00:00Z'); // 12:00 on 18/11 in Vietnam

function ratio(value: number | null) {
  return { numerator: 0, denominator: value === null ? 0 : 100, value };
}
function kpis(onTime: number | null, online: number | null = null): KpiSet {
  return {
    onTime: ratio(onTime),
    online: ratio(online),
    fullOnline: ratio(null),
    digitized: ratio(null),
    eResult: ratio(null),
    onlinePayment: ratio(null),
    satisfaction: { value: null, overduePercent: null, complaintPercent: null, complaints: 0, resolved: 0 },
  } as KpiSet;
}
function counts(c: Partial<KpiCounts>): KpiCounts {
  const zero: KpiCounts = {
    received: 0,
    receivedOnline: 0,
    receivedDirect: 0,
    receivedPostal: 0,
    carriedOver: 0,
    resolved: 0,
    resolvedEarly: 0,
    resolvedEarlyOrOnTime: 0,
    resolvedLate: 0,
    resolvedRejected: 0,
    resolvedStopped: 0,
    inProgress: 0,
    inProgressWithinDeadline: 0,
    inProgressOverdue: 0,
  } as KpiCounts;
  return { ...zero, ...c };
}
function seriesOf(points: { start: string; onTime?: number | null; online?: number | null; counts?: Partial<KpiCounts> }[]): SeriesResponse {
  return {
    scope: 'commune:00004',
    granularity: 'hour',
    from: '2026-11-15',
    to: '2026-11-18',
    asOf: '',
    kpiVersion: 'kpi-v1',
    projection: { watermark: 0, projectedUpTo: null, pendingEvents: 0, lagSeconds: 0 },
    loading: null,
    points: points.map((p) => ({
      start: p.start,
      label: '',
      asOf: '',
      kpis: kpis(p.onTime ?? null, p.online ?? null),
      counts: counts(p.counts ?? {}),
      index: { points: 0, maxPoints: 0, score: null, components: [] },
    })),
  };
}
/** The series of the option, with its mark lines. */
function first(option: ReturnType<typeof toAlertChartOption>) {
  const s = (option.series as Record<string, unknown>[])[0]!;
  const marks = (s.markLine as { data: Record<string, unknown>[] }).data;
  return { s, marks, data: s.data as [number, number | null][] };
}

describe('which series an alert is drawn from', () => {
  it('a 7-day KPI rule: the days of its window before the firing, to now', () => {
    const a = detailOf('commune-on-time-7d', { firedAt: '2026-11-16T02:00:00Z' });
    expect(chartPlanOf(a, NOW)).toEqual({ kind: 'series', measure: 'kpi', scope: 'commune:00004', granularity: 'day', from: '2026-11-09', to: '2026-11-18' });
  });

  it('ends the day after it cleared', () => {
    const a = detailOf('commune-on-time-7d', { firedAt: '2026-11-10T02:00:00Z', clearedAt: '2026-11-12T02:00:00Z' });
    expect(chartPlanOf(a, NOW)).toMatchObject({ from: '2026-11-03', to: '2026-11-13' });
  });

  it('an old, still active KPI alert keeps the span bounded', () => {
    const a = detailOf('province-full-online-30d', { firedAt: '2026-06-01T02:00:00Z', scope: 'province:01' });
    const plan = chartPlanOf(a, NOW);
    expect(plan).toMatchObject({ granularity: 'day', from: '2026-05-02', to: '2026-07-03' });
  });

  it('backlog, growth and surge: per hour from the day before the firing, at most two days after', () => {
    const a = detailOf('commune-overdue-backlog', { firedAt: '2026-11-13T02:00:00Z' });
    expect(chartPlanOf(a, NOW)).toMatchObject({ measure: 'backlog', granularity: 'hour', from: '2026-11-12', to: '2026-11-15' });
    expect(chartPlanOf(detailOf('commune-receipt-surge', { firedAt: '2026-11-18T01:00:00Z' }), NOW)).toMatchObject({ measure: 'surge', from: '2026-11-17', to: '2026-11-18' });
  });

  it('backlog, growth and surge: per day where the server no longer keeps the hours', () => {
    const a = detailOf('commune-overdue-backlog', { firedAt: '2026-11-13T02:00:00Z' });
    expect(chartPlanOf(a, NOW, '2026-11-12')).toMatchObject({ granularity: 'hour', from: '2026-11-12', to: '2026-11-15' });
    expect(chartPlanOf(a, NOW, '2026-11-13')).toMatchObject({ granularity: 'day', from: '2026-11-12', to: '2026-11-15' });
    expect(chartPlanOf(a, NOW, null)).toMatchObject({ granularity: 'hour' });
  });

  it('silence has no chart', () => {
    expect(chartPlanOf(detailOf('commune-silence'), NOW)).toEqual({ kind: 'none', reason: 'silence' });
  });
});

describe('the chart option', () => {
  it('draws the KPI with a line per threshold, named by severity, and the firing instant', () => {
    const a = detailOf('commune-on-time-7d', { firedAt: '2026-11-16T02:00:00Z', severity: 'critical' });
    const plan = chartPlanOf(a, NOW);
    if (plan.kind !== 'series') throw new Error('a series plan');
    const option = toAlertChartOption(
      a,
      plan,
      seriesOf([
        { start: '2026-11-14T17:00:00Z', onTime: 96 },
        { start: '2026-11-15T17:00:00Z', onTime: 88.5 },
        { start: '2026-11-16T17:00:00Z', onTime: null },
      ]),
    );
    const { s, marks, data } = first(option);
    expect(s.type).toBe('line');
    expect(data).toEqual([
      [Date.parse('2026-11-14T17:00:00Z'), 96],
      [Date.parse('2026-11-15T17:00:00Z'), 88.5],
      [Date.parse('2026-11-16T17:00:00Z'), null],
    ]);
    expect(marks.filter((m) => 'yAxis' in m).map((m) => [m.name, m.yAxis])).toEqual([
      ['Nghiêm trọng', 90],
      ['Lưu ý', 95],
    ]);
    const fired = marks.find((m) => 'xAxis' in m)!;
    expect(fired.xAxis).toBe(Date.parse('2026-11-16T02:00:00Z'));
    expect((fired.label as { formatter: string }).formatter).toBe('Phát 09:00');
    expect((marks[0]!.label as { formatter: string }).formatter).toBe('Nghiêm trọng: 90,00%');
    // Active to the end of the last day: shaded.
    expect((s.markArea as { data: { xAxis: number }[][] }).data[0]!.map((p) => p.xAxis)).toEqual([Date.parse('2026-11-16T02:00:00Z'), Date.parse('2026-11-17T17:00:00Z')]);
    expect((option.xAxis as { min: number }).min).toBe(Date.parse('2026-11-14T17:00:00Z'));
  });

  it('marks the clearing instant', () => {
    const a = detailOf('commune-overdue-backlog', { firedAt: '2026-11-16T02:00:00Z', clearedAt: '2026-11-16T05:30:00Z' });
    const plan = chartPlanOf(a, NOW);
    if (plan.kind !== 'series') throw new Error('a series plan');
    const { marks, data } = first(toAlertChartOption(a, plan, seriesOf([{ start: '2026-11-16T01:00:00Z', counts: { inProgressOverdue: 25 } }])));
    expect(data).toEqual([[Date.parse('2026-11-16T01:00:00Z'), 25]]);
    expect(marks.filter((m) => 'xAxis' in m).map((m) => m.name)).toEqual(['Phát cảnh báo', 'Hết cảnh báo']);
    expect(marks.filter((m) => 'yAxis' in m).map((m) => m.yAxis)).toEqual([100, 50, 20]);
  });

  it('growth is measured from the end of the day before', () => {
    const a = detailOf('commune-overdue-growth', { firedAt: '2026-11-16T02:00:00Z' });
    const plan = chartPlanOf(a, NOW);
    if (plan.kind !== 'series') throw new Error('a series plan');
    // 23:00–24:00 on the 15th (local) ends with 4 overdue; 08:00 and 09:00 on the 16th.
    const { data } = first(
      toAlertChartOption(
        a,
        plan,
        seriesOf([
          { start: '2026-11-15T16:00:00Z', counts: { inProgressOverdue: 4 } },
          { start: '2026-11-16T01:00:00Z', counts: { inProgressOverdue: 10 } },
          { start: '2026-11-16T02:00:00Z', counts: { inProgressOverdue: 19 } },
        ]),
      ),
    );
    expect(data.map((p) => p[1])).toEqual([null, 6, 15]);
  });

  it('a surge: received per hour as bars, thresholds in dossiers from the same-hour average', () => {
    const a = detailOf('commune-receipt-surge', { firedAt: '2026-11-16T02:10:00Z', firedDetails: { receivedThisHour: 14, hourOfWeekAverage: 4 } });
    const plan = chartPlanOf(a, NOW);
    if (plan.kind !== 'series') throw new Error('a series plan');
    const { s, marks } = first(toAlertChartOption(a, plan, seriesOf([{ start: '2026-11-16T02:00:00Z', counts: { received: 14 } }])));
    expect(s.type).toBe('bar');
    expect(marks.filter((m) => 'yAxis' in m).map((m) => [m.name, m.yAxis])).toEqual([
      ['Cao', 20],
      ['Lưu ý', 12],
      ['Trung bình cùng giờ 4 tuần', 4],
    ]);
  });

  it('an online drop: thresholds below the 4-week rate', () => {
    const a = detailOf('commune-online-drop', { firedAt: '2026-11-16T02:10:00Z', firedDetails: { todayRate: 30, baselineRate: 62.5, receivedToday: 20 } });
    const plan = chartPlanOf(a, NOW);
    if (plan.kind !== 'series') throw new Error('a series plan');
    const { marks, data } = first(toAlertChartOption(a, plan, seriesOf([{ start: '2026-11-15T17:00:00Z', online: 30 }])));
    expect(data).toEqual([[Date.parse('2026-11-15T17:00:00Z'), 30]]);
    expect(marks.filter((m) => 'yAxis' in m).map((m) => m.yAxis)).toEqual([27.5, 42.5, 62.5]);
  });
});

describe('what fired it, in words', () => {
  it('a KPI rule names its numerator and denominator', () => {
    const a = detailOf('commune-on-time-7d', { firedValue: 88.24, firedDetails: { numerator: 30, denominator: 34, windowDays: 7, volume: 34 } });
    expect(describeFiring(a)).toBe('Tỷ lệ giải quyết đúng hạn trong 7 ngày là 88,24%: 30 trên 34 hồ sơ.');
    expect(thresholdRows(a).map((r) => [r.label, r.condition])).toEqual([
      ['Nghiêm trọng', '< 90,00%'],
      ['Lưu ý', '< 95,00%'],
    ]);
  });

  it('backlog, silence and surge', () => {
    expect(describeFiring(detailOf('commune-overdue-backlog', { firedValue: 25, firedDetails: { inProgress: 40, inProgressOverdue: 25 } }))).toBe('25 hồ sơ quá hạn trong 40 hồ sơ đang giải quyết.');
    expect(describeFiring(detailOf('commune-silence', { firedValue: 95, unit: 'phút', firedDetails: { lastEventAt: '2026-11-16T03:30:00Z', receivedPerWorkingDay: 12.5 } }))).toBe(
      'Không nhận được dữ liệu trong 95 phút làm việc kể từ 10:30:00 ngày 16/11/2026; bình thường đơn vị gửi khoảng 12,50 hồ sơ mỗi ngày làm việc.',
    );
    expect(describeFiring(detailOf('commune-receipt-surge', { firedValue: 3.5, unit: '×', firedDetails: { receivedThisHour: 14, hourOfWeekAverage: 4 } }))).toBe(
      'Tiếp nhận 14 hồ sơ trong giờ này, gấp 3,50 lần mức trung bình 4,00 hồ sơ của cùng giờ trong 4 tuần trước.',
    );
  });

  it('history lines say who, what and from → to', () => {
    const escalated = historyText({ id: '2', at: '', actor: 'system', action: 'escalated', from: { severity: 'warning' }, to: { severity: 'major' }, note: null, details: { value: 63 } }, 'hồ sơ');
    expect(escalated).toEqual({ action: 'Tăng mức', change: 'Lưu ý → Cao · giá trị 63 hồ sơ', actor: 'Hệ thống' });
    const ack = historyText(
      { id: '3', at: '', actor: 'Trần Thị Bình (tran.binh)', action: 'acknowledged', from: { acknowledged: false }, to: { acknowledged: true }, note: 'Đã gọi', details: null },
      'hồ sơ',
    );
    expect(ack).toEqual({ action: 'Xác nhận', change: 'chưa xác nhận → đã xác nhận', actor: 'Trần Thị Bình (tran.binh)' });
  });
});

describe('times on the chart are Vietnam times', () => {
  it('labels hours, and dates at local midnight', () => {
    expect(axisTimeLabel(Date.parse('2026-11-16T03:00:00Z'), 'hour')).toBe('10:00');
    expect(axisTimeLabel(Date.parse('2026-11-15T17:00:00Z'), 'hour')).toBe('16/11');
    expect(axisTimeLabel(Date.parse('2026-11-16T03:00:00Z'), 'day')).toBe('16/11');
  });
});
