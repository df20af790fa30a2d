import { describe, expect, it } from '@jest/globals';
import { PERIOD_FIELDS, type PeriodCounters, zeroPeriod } from './counters.js';
import { indexV2CountsOf, indexV2Summary, indexV2SummaryOfPeriod, indexV2View } from './index-v2-view.js';
import { mulberry32 } from '../random.js';

describe('the ranking summary', () => {
  it('gives exactly what the general scorer gives, on generated counts (zeros and extras included)', () => {
    const rnd = mulberry32(766);
    for (let i = 0; i < 3000; i++) {
      const p: PeriodCounters = zeroPeriod();
      for (const f of PERIOD_FIELDS) p[f] = rnd() < 0.2 ? 0 : Math.floor(rnd() * 200);
      p.processingSeconds = Math.floor(rnd() * 1e7);
      const extra = rnd() < 0.5 ? { proceduresAnnouncedOnTime: 3, proceduresAnnounced: 4, certificationProvided: 1, certificationUnits: 2 } : undefined;
      expect(indexV2SummaryOfPeriod(p, extra)).toEqual(indexV2Summary(indexV2CountsOf(p, extra)));
    }
  });

  it('the view never rescales: earned of available, and the 100 it would total', () => {
    const v = indexV2View(indexV2CountsOf({ ...zeroPeriod(), resolved: 4, resolvedOnTime: 4 }));
    // 2.1 and 5.4 have data (4 resolved, all on time, none disliked); nothing else does.
    expect(v).toMatchObject({ earned: 26, available: 26, pointsLost: 0, maxPoints: 100 });
    expect(v.missing).not.toContain('2.1');
    expect(v.missing).not.toContain('2.2');
  });
});
