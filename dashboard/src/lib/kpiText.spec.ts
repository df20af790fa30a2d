import { afterEach, describe, expect, it } from '@jest/globals';
import { KPI_CATALOGUE } from '@ioc/shared';
import { setLanguage } from '../i18n';
import { kpiDenominator, kpiName, kpiNameOf, kpiNumerator } from './kpiText';
import { roleLabel } from './roleText';

describe('names from the contract, in the language shown', () => {
  afterEach(() => setLanguage('vi'));

  it('KPIs by definition and by id', () => {
    const online = KPI_CATALOGUE.find((d) => d.id === 'online')!;
    expect(kpiName(online)).toBe('Tỷ lệ hồ sơ trực tuyến');
    expect(kpiNameOf('onTime')).toBe('Tỷ lệ giải quyết đúng hạn');
    expect(kpiNumerator(online)).toBe(online.numeratorVi);
    setLanguage('en');
    expect(kpiName(online)).toBe('Online filing');
    expect(kpiNameOf('onTime')).toBe('On-time processing');
    expect(kpiDenominator(online)).toBe(online.denominatorEn);
  });

  it('roles', () => {
    expect(roleLabel('operator')).toBe('Cán bộ trực IOC');
    setLanguage('en');
    expect(roleLabel('operator')).toBe('IOC operator');
  });
});
