import { SEVERITIES, type Severity } from '@ioc/shared';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { type AckFilter, type AlertFilters, NO_FILTERS, type StateFilter, isFiltered, severityLabel } from './alertList';

interface Props {
  value: AlertFilters;
  onChange: (f: AlertFilters) => void;
  /** The history's text search only looks through the page shown. */
  textHint?: string;
  /** Offer "assigned to me" (to those alerts may be assigned to). */
  showMine?: boolean;
}

export function AlertFilterBar({ value, onChange, textHint, showMine = false }: Props) {
  const { t } = useTranslation('operations');
  const id = useId();
  const toggle = (s: Severity) =>
    onChange({ ...value, severities: value.severities.includes(s) ? value.severities.filter((x) => x !== s) : SEVERITIES.filter((x) => x === s || value.severities.includes(x)) });
  const changed = isFiltered(value);
  return (
    <form className="alert-filters" role="search" aria-label={t('filters.label')} onSubmit={(e) => e.preventDefault()}>
      <fieldset className="alert-filters__group">
        <legend>{t('filters.severity')}</legend>
        {SEVERITIES.map((s) => (
          <label key={s} className="check">
            <input type="checkbox" checked={value.severities.includes(s)} onChange={() => toggle(s)} />
            <span>{severityLabel(s)}</span>
          </label>
        ))}
      </fieldset>
      <div className="alert-filters__field">
        <label htmlFor={`${id}-state`}>{t('filters.state')}</label>
        <select id={`${id}-state`} value={value.state} onChange={(e) => onChange({ ...value, state: e.target.value as StateFilter })}>
          <option value="all">{t('filters.all')}</option>
          <option value="active">{t('state.active')}</option>
          <option value="cleared">{t('state.cleared')}</option>
        </select>
      </div>
      <div className="alert-filters__field">
        <label htmlFor={`${id}-ack`}>{t('filters.ack')}</label>
        <select id={`${id}-ack`} value={value.ack} onChange={(e) => onChange({ ...value, ack: e.target.value as AckFilter })}>
          <option value="all">{t('filters.all')}</option>
          <option value="unacknowledged">{t('filters.unacknowledged')}</option>
          <option value="acknowledged">{t('filters.acknowledged')}</option>
        </select>
      </div>
      {showMine && (
        <label className="check alert-filters__mine">
          <input type="checkbox" checked={value.mine} onChange={(e) => onChange({ ...value, mine: e.target.checked })} />
          <span>{t('filters.mine')}</span>
        </label>
      )}
      <div className="alert-filters__field alert-filters__field--grow">
        <label htmlFor={`${id}-text`}>{t('filters.text')}</label>
        <input
          id={`${id}-text`}
          type="search"
          value={value.text}
          placeholder={t('filters.textPlaceholder')}
          onChange={(e) => onChange({ ...value, text: e.target.value })}
          aria-describedby={textHint ? `${id}-hint` : undefined}
        />
        {textHint && (
          <span id={`${id}-hint`} className="alert-filters__hint">
            {textHint}
          </span>
        )}
      </div>
      <button type="button" className="button button--secondary button--small" onClick={() => onChange(NO_FILTERS)} disabled={!changed}>
        {t('filters.clear')}
      </button>
    </form>
  );
}
