import { describe, expect, it } from '@jest/globals';
import { DEFAULT_WORKING_HOURS, isWorkingTime, parseWorkingCalendar, workingMinutesBetween, workingMinutesTo } from './calendar.js';
import { INITIAL_RULE_STATE, type RuleState, type Transition, evaluateRule } from './evaluate.js';
import { DEFAULT_RULES, type RuleParams, effectiveParams, severityOf } from './rules.js';

const onTime = DEFAULT_RULES.find((r) => r.id === 'commune-on-time-7d')!;
const MIN = 60_000;
const T0 = Date.parse('2026-03-02T08:00:00+07:00');

/** Feeds values one a minute from T0; returns the transitions. */
function run(values: (number | null)[], p: RuleParams = onTime.defaults, start: RuleState = INITIAL_RULE_STATE) {
  let state = start;
  const out: (Transition & { at: number })[] = [];
  values.forEach((v, i) => {
    const r = evaluateRule(state, v, p, T0 + i * MIN);
    state = r.next;
    if (r.transition) out.push({ ...r.transition, at: i });
  });
  return { state, out };
}

describe('alert evaluation (pinned time)', () => {
  it('fires only after the pending period (30 minutes) of the condition holding', () => {
    const { out } = run([...Array(29).fill(93), 96, ...Array(31).fill(93)]);
    expect(out).toEqual([{ kind: 'fire', to: 'warning', at: 60 }]);
  });

  it('turns a value wavering around the threshold into one alert, not many', () => {
    // 94 / 95.5 alternate each minute for 3 hours: below 95 half of the time, never 96 (95 + hysteresis 1).
    const values = Array.from({ length: 180 }, (_, i) => (i % 2 === 0 ? 94 : 95.5));
    const { out, state } = run([...Array(30).fill(94), ...values]);
    expect(out).toEqual([{ kind: 'fire', to: 'warning', at: 30 }]);
    expect(state.active).toBe('warning');
  });

  it('clears only past the hysteresis band and after the clear period', () => {
    const firing = [...Array(31).fill(93)];
    expect(run([...firing, ...Array(60).fill(95.5)]).out.map((t) => t.kind)).toEqual(['fire']);
    const { out } = run([...firing, ...Array(31).fill(96)]);
    expect(out).toEqual([
      { kind: 'fire', to: 'warning', at: 30 },
      { kind: 'clear', from: 'warning', reason: 'recovered', at: 61 },
    ]);
  });

  it('escalates the same alert at once, and lowers it only past the higher threshold band', () => {
    const { out, state } = run([...Array(31).fill(93), 89, 90.5, 91.5, 92]);
    expect(out).toEqual([
      { kind: 'fire', to: 'warning', at: 30 },
      { kind: 'escalate', from: 'warning', to: 'critical', at: 31 },
      { kind: 'deescalate', from: 'critical', to: 'warning', at: 33 },
    ]);
    expect(state.active).toBe('warning');
  });

  it('treats no data as its own state: no alert fires or clears, a pending condition starts again', () => {
    expect(run([...Array(20).fill(93), null, ...Array(20).fill(93)]).out).toEqual([]);
    const active = run(Array(31).fill(93)).state;
    const { out, state } = run(Array(120).fill(null), onTime.defaults, active);
    expect(out).toEqual([]);
    expect(state.active).toBe('warning');
  });

  it('clears an active alert when its rule is disabled', () => {
    const active = run(Array(31).fill(93)).state;
    expect(run([93], { ...onTime.defaults, enabled: false }, active).out).toEqual([{ kind: 'clear', from: 'warning', reason: 'disabled', at: 0 }]);
  });

  it('applies province then commune overrides over the defaults', () => {
    const p = effectiveParams(onTime, { thresholds: { warning: 98 }, pendingMinutes: 5 }, { pendingMinutes: 10 });
    expect(p).toMatchObject({ thresholds: { warning: 98 }, pendingMinutes: 10, hysteresis: 1 });
    expect(severityOf(97, p)).toBe('warning');
    expect(severityOf(97, onTime.defaults)).toBeNull();
  });
});

describe('working calendar (Asia/Ho_Chi_Minh)', () => {
  const cal = (() => {
    const r = parseWorkingCalendar(DEFAULT_WORKING_HOURS, '2026-04-30');
    if (!r.ok) throw new Error(r.reason);
    return r.calendar;
  })();
  const at = (s: string) => Date.parse(`${s}+07:00`);

  it('knows office hours, lunch, nights, weekends and holidays', () => {
    expect(isWorkingTime(cal, at('2026-03-02T08:00:00'))).toBe(true); // Monday
    expect(isWorkingTime(cal, at('2026-03-02T12:00:00'))).toBe(false); // lunch
    expect(isWorkingTime(cal, at('2026-03-02T22:00:00'))).toBe(false);
    expect(isWorkingTime(cal, at('2026-03-07T09:00:00'))).toBe(false); // Saturday
    expect(isWorkingTime(cal, at('2026-04-30T09:00:00'))).toBe(false); // holiday
    // 01:30 UTC is 08:30 in Vietnam.
    expect(isWorkingTime(cal, Date.parse('2026-03-02T01:30:00Z'))).toBe(true);
  });

  it('counts only working minutes of silence', () => {
    expect(workingMinutesBetween(cal, at('2026-03-02T10:00:00'), at('2026-03-02T14:00:00'))).toBe(90 + 30);
    // Friday 16:00 to Monday 08:00: an hour on Friday, half an hour on Monday.
    expect(workingMinutesBetween(cal, at('2026-03-06T16:00:00'), at('2026-03-09T08:00:00'))).toBe(90);
    expect(workingMinutesBetween(cal, at('2026-03-02T18:00:00'), at('2026-03-03T06:00:00'))).toBe(0);
  });

  it('counts the same working minutes from many instants to one as one by one', () => {
    const overlapping = parseWorkingCalendar('Mon,Wed-Sat 07:30-11:30,10:00-12:15,13:30-17:00', '2026-03-04');
    if (!overlapping.ok) throw new Error(overlapping.reason);
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    for (const c of [cal, overlapping.calendar]) {
      for (let i = 0; i < 20; i++) {
        const to = at('2026-03-02T00:00:00') + Math.floor(random() * 40 * 86_400_000);
        const from = workingMinutesTo(c, to);
        // Seconds before `to` up to 40 days (past the 31-day cap), and after it.
        for (let j = 0; j < 50; j++) {
          const t = to - Math.floor(random() * 40 * 86_400_000) + (j === 0 ? 3_600_000 : 0);
          expect(from(t)).toBe(workingMinutesBetween(c, t, to));
        }
      }
    }
  });

  it('refuses a malformed calendar with a reason', () => {
    expect(parseWorkingCalendar('Mon-Fri 7:30-11:30')).toEqual({ ok: false, reason: '"7:30-11:30" is not a time range like 07:30-11:30' });
    expect(parseWorkingCalendar('Mon-Xyz 07:30-11:30')).toMatchObject({ ok: false });
    expect(parseWorkingCalendar(DEFAULT_WORKING_HOURS, '2026-4-30')).toMatchObject({ ok: false });
  });
});
