import { describe, expect, it } from '@jest/globals';
import { t } from './index';
import { textsOf } from './keys';

describe('typed text keys', () => {
  it('compiles only keys of the catalogue', () => {
    // @ts-expect-error: a key missing from the catalogue fails the build (npm run typecheck), not a screen.
    const missing = t('ranking.noSuchText', { ns: 'overview' });
    expect(missing).toBe('ranking.noSuchText');
    expect(t('ranking.csv', { ns: 'overview' })).toBe('Tải CSV');
    // @ts-expect-error: the same for keys chosen at run time.
    expect(textsOf('common')('live.gone')).toBe('live.gone');
    expect(textsOf('common')('live.stale', { time: '09:05' })).toBe('Dữ liệu cũ từ 09:05');
  });
});
