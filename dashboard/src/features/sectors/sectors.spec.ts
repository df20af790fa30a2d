import { describe, expect, it } from '@jest/globals';
import type { SectorBreakdown } from '@ioc/shared';
import { procedureColumns, procedureRows, sortKeyOf, sortRows } from './sectorTable';

const figures = (received: number, onTimeRate: number | null) => ({
  received,
  resolved: 0,
  resolvedOnTime: 0,
  resolvedLate: 0,
  inProgress: 0,
  overdue: 0,
  onTimeRate,
  meanProcessingDays: null,
});
const sectors: SectorBreakdown[] = [
  { sector: 'Hộ tịch', ...figures(30, 90), procedures: [{ procedureCode: '1.001193', ...figures(30, 90) }] },
  { sector: 'Đất đai', ...figures(10, null), procedures: [{ procedureCode: '1.012345', ...figures(10, null) }] },
  { sector: 'Chứng thực', ...figures(20, 99.5), procedures: [] },
];

describe('sector breakdown table', () => {
  it('sorts by any column either way, missing rates last, names in Vietnamese order', () => {
    const name = (s: SectorBreakdown) => s.sector;
    expect(sortRows(sectors, 'received', 'desc', name).map(name)).toEqual(['Hộ tịch', 'Chứng thực', 'Đất đai']);
    expect(sortRows(sectors, 'received', 'asc', name).map(name)).toEqual(['Đất đai', 'Chứng thực', 'Hộ tịch']);
    expect(sortRows(sectors, 'onTimeRate', 'asc', name).map(name)).toEqual(['Hộ tịch', 'Chứng thực', 'Đất đai']);
    expect(sortRows(sectors, 'onTimeRate', 'desc', name).map(name)).toEqual(['Chứng thực', 'Hộ tịch', 'Đất đai']);
    expect(sortRows(sectors, 'name', 'asc', name).map(name)).toEqual(['Chứng thực', 'Đất đai', 'Hộ tịch']);
    expect(sortKeyOf('overdue')).toBe('overdue');
    expect(sortKeyOf('bogus')).toBe('received');
  });

  it('exports one procedure a row with its sector, the code as text', () => {
    const rows = procedureRows(sectors);
    expect(rows.map((r) => [r.sector, r.procedureCode])).toEqual([
      ['Hộ tịch', '1.001193'],
      ['Đất đai', '1.012345'],
    ]);
    const cols = procedureColumns();
    expect(cols[1]).toMatchObject({ header: 'Mã thủ tục', kind: 'text' });
    expect(cols.map((c) => c.header)).toContain('Tỷ lệ đúng hạn');
  });
});
