import type { DossierToAct } from '@ioc/shared';
import { t } from '../../i18n';
import type { CsvColumn } from '../../lib/csv';
import type { KeysUnder } from '../../i18n/keys';

/**
 * Time left before a dossier turns overdue, or how long it has been overdue, in
 * the unit a person acts on: minutes under an hour, hours under two days, then
 * days. Always rounded down, so "còn 5 giờ" never promises more time than there is.
 */
export function hoursLeftText(hoursLeft: number): string {
  const tt = (key: KeysUnder<'commune', 'dossiers.left'>, n: number) => t(`dossiers.left.${key}`, { ns: 'commune', count: n, n });
  const overdue = hoursLeft < 0;
  const minutes = Math.floor(Math.abs(hoursLeft) * 60 + 1e-9);
  const prefix = overdue ? 'overdue' : 'left';
  if (minutes < 1) return tt(overdue ? 'overdueNow' : 'leftNow', 0);
  if (minutes < 60) return tt(`${prefix}Minutes`, minutes);
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return tt(`${prefix}Hours`, hours);
  return tt(`${prefix}Days`, Math.floor(hours / 24));
}

/** How urgent a row looks: overdue, under 8 working-day hours, or later; the words say it too. */
export function urgencyOf(d: Pick<DossierToAct, 'state' | 'hoursLeft'>): 'overdue' | 'soon' | 'later' {
  if (d.state === 'overdue' || d.hoursLeft < 0) return 'overdue';
  return d.hoursLeft < 8 ? 'soon' : 'later';
}

/** The export's columns: figures as plain numbers, times as dates in Vietnam's time that a spreadsheet reads, codes as text. */
export function dossierCsvColumns(): CsvColumn<DossierToAct>[] {
  const h = (key: KeysUnder<'commune', 'dossiers.csv'>) => t(`dossiers.csv.${key}`, { ns: 'commune' });
  return [
    { header: h('dossierId'), value: (d) => d.dossierId, kind: 'text' },
    { header: h('unit'), value: (d) => d.unitName },
    { header: h('procedure'), value: (d) => d.procedureCode, kind: 'text' },
    { header: h('sector'), value: (d) => d.sector },
    { header: h('channel'), value: (d) => t(`dossiers.channel.${d.channel}`, { ns: 'commune' }) },
    { header: h('receivedAt'), value: (d) => d.receivedAt, kind: 'datetime' },
    { header: h('dueAt'), value: (d) => d.dueAt, kind: 'datetime' },
    { header: h('overdueAt'), value: (d) => d.overdueAt, kind: 'datetime' },
    { header: h('state'), value: (d) => t(`dossiers.state.${d.state}`, { ns: 'commune' }) },
    { header: h('hoursLeft'), value: (d) => d.hoursLeft },
  ];
}
