import { describe, expect, it } from '@jest/globals';
import { watchCritical } from './newCritical';
import { alertOf } from './testAlerts';

describe('new critical alerts across snapshots and deltas', () => {
  it('never rings for what was open when the page opened', () => {
    const first = watchCritical(null, [alertOf({ id: '1', severity: 'critical' }), alertOf({ id: '2' })]);
    expect(first.fresh).toEqual([]);
    // The same list again (a heartbeat, a resync): nothing new.
    expect(watchCritical(first.watch, [alertOf({ id: '1', severity: 'critical' }), alertOf({ id: '2' })]).fresh).toEqual([]);
  });

  it('rings for a critical alert that appears later, once', () => {
    const w0 = watchCritical(null, [alertOf({ id: '1' })]).watch;
    const step = watchCritical(w0, [alertOf({ id: '1' }), alertOf({ id: '9', severity: 'critical' })]);
    expect(step.fresh.map((a) => a.id)).toEqual(['9']);
    expect(watchCritical(step.watch, [alertOf({ id: '1' }), alertOf({ id: '9', severity: 'critical' })]).fresh).toEqual([]);
  });

  it('rings for an open alert escalated to critical, not for other severities', () => {
    const w0 = watchCritical(null, [alertOf({ id: '1', severity: 'warning' })]).watch;
    expect(watchCritical(w0, [alertOf({ id: '1', severity: 'major' }), alertOf({ id: '2', severity: 'major' })]).fresh).toEqual([]);
    expect(watchCritical(w0, [alertOf({ id: '1', severity: 'critical' })]).fresh.map((a) => a.id)).toEqual(['1']);
  });

  it('ignores cleared alerts and lists several new ones newest first', () => {
    const w0 = watchCritical(null, []).watch;
    const step = watchCritical(w0, [
      alertOf({ id: '3', severity: 'critical', status: 'cleared' }),
      alertOf({ id: '4', severity: 'critical', firedAt: '2026-11-16T01:00:00Z' }),
      alertOf({ id: '5', severity: 'critical', firedAt: '2026-11-16T02:00:00Z' }),
    ]);
    expect(step.fresh.map((a) => a.id)).toEqual(['5', '4']);
  });

  it('an empty first snapshot still counts as the first one', () => {
    const w0 = watchCritical(null, []);
    expect(w0.fresh).toEqual([]);
    expect(watchCritical(w0.watch, [alertOf({ id: '7', severity: 'critical' })]).fresh).toHaveLength(1);
  });
});
