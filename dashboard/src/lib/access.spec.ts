import { describe, expect, it } from '@jest/globals';
import type { UnitRef } from '@ioc/shared';
import { type Person, childrenTable, unitRefOf } from './access';

const NATION: UnitRef = { kind: 'nation' };
const HANOI: UnitRef = { kind: 'province', code: '01' };
const HAIPHONG: UnitRef = { kind: 'province', code: '31' };
const BA_DINH: UnitRef = { kind: 'commune', code: '00004', provinceCode: '01' };
const PROVINCES: UnitRef[] = [HANOI, HAIPHONG, { kind: 'province', code: '79' }];
const HANOI_COMMUNES: UnitRef[] = [BA_DINH, { kind: 'commune', code: '00008', provinceCode: '01' }];
const HAIPHONG_COMMUNES: UnitRef[] = [{ kind: 'commune', code: '11311', provinceCode: '31' }];

const admin: Person = { role: 'admin', scope: NATION };
const nationLeader: Person = { role: 'leader', scope: NATION };
const hanoiLeader: Person = { role: 'leader', scope: HANOI };
const hanoiOperator: Person = { role: 'operator', scope: HANOI };
const chair: Person = { role: 'commune_chair', scope: BA_DINH };

describe('a session scope as the access rules see it', () => {
  it('nation and provinces need nothing more; a commune needs its province', () => {
    expect(unitRefOf('nation', null)).toEqual(NATION);
    expect(unitRefOf('province:01', null)).toEqual(HANOI);
    expect(unitRefOf('commune:00004', '01')).toEqual(BA_DINH);
    expect(unitRefOf('commune:00004', null)).toBeNull();
    expect(unitRefOf('district:001', null)).toBeNull();
  });
});

describe('the table of units below a scope', () => {
  it.each([
    ['admin', admin, NATION, PROVINCES, 'allowed'],
    ['admin', admin, HAIPHONG, HAIPHONG_COMMUNES, 'allowed'],
    ['nation leader', nationLeader, NATION, PROVINCES, 'allowed'],
    ['nation leader', nationLeader, HANOI, HANOI_COMMUNES, 'allowed'],
    ['Hà Nội leader', hanoiLeader, NATION, PROVINCES, 'allowed'],
    ['Hà Nội leader', hanoiLeader, HANOI, HANOI_COMMUNES, 'allowed'],
    ['Hà Nội leader', hanoiLeader, HAIPHONG, HAIPHONG_COMMUNES, 'forbidden'],
    ['Hà Nội operator', hanoiOperator, HANOI, HANOI_COMMUNES, 'allowed'],
    ['Hà Nội operator', hanoiOperator, HAIPHONG, HAIPHONG_COMMUNES, 'forbidden'],
    ['Ba Đình chair', chair, NATION, PROVINCES, 'forbidden'],
    ['Ba Đình chair', chair, HANOI, HANOI_COMMUNES, 'forbidden'],
    ['Ba Đình chair', chair, BA_DINH, [], 'none'],
  ] as const)('%s on %j: %s', (_, person, scope, below, expected) => {
    expect(childrenTable(person, scope, below)).toBe(expected);
  });
});
