import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_PERIOD_DAYS, type LocalDate, addDays } from '@ioc/shared';
import { PERIOD_PRESETS, type PeriodChoice, isPeriodPreset, periodLabel, vietnamDateOf } from '../../lib/period';

interface Props {
  value: PeriodChoice;
  onChange: (p: PeriodChoice) => void;
}

/**
 * A radio group (Tab reaches it, arrow keys move between periods) plus custom
 * dates. Dates are Vietnam's local dates whatever the browser's time zone is.
 */
export function PeriodSelector({ value, onChange }: Props) {
  const { t } = useTranslation('overview');
  const today = vietnamDateOf(new Date());
  const [from, setFrom] = useState<LocalDate>(value.preset === 'custom' ? value.from : addDays(today, -13));
  const [to, setTo] = useState<LocalDate>(value.preset === 'custom' ? value.to : today);
  const [error, setError] = useState<string | null>(null);
  const custom = value.preset === 'custom';
  // A custom period that comes from elsewhere (the address, a link followed while the page is open) shows its own dates.
  const shown = custom ? `${value.from}/${value.to}` : null;
  const [lastShown, setLastShown] = useState(shown);
  if (shown !== lastShown) {
    setLastShown(shown);
    if (value.preset === 'custom') {
      setFrom(value.from);
      setTo(value.to);
      setError(null);
    }
  }

  const apply = () => {
    if (!from || !to) return setError(t('period.bothDates'));
    if (from > to) return setError(t('period.fromAfterTo'));
    if (to > today) return setError(t('period.future'));
    if ((Date.parse(to) - Date.parse(from)) / 86_400_000 + 1 > MAX_PERIOD_DAYS) return setError(t('period.tooLong', { days: MAX_PERIOD_DAYS }));
    setError(null);
    onChange({ preset: 'custom', from, to });
  };

  return (
    <fieldset className="segmented">
      <legend className="segmented__legend">{t('period.legend')}</legend>
      <div className="segmented__options">
        {[...PERIOD_PRESETS, 'custom' as const].map((p) => (
          <label key={p} className="segmented__option">
            <input
              type="radio"
              name="period"
              value={p}
              checked={value.preset === p}
              onChange={(e) => {
                if (isPeriodPreset(e.target.value)) onChange({ preset: e.target.value });
                else apply();
              }}
            />
            <span>{p === 'custom' ? t('period.custom') : periodLabel(p)}</span>
          </label>
        ))}
      </div>
      {custom || error ? (
        <form
          className="period-custom"
          onSubmit={(e) => {
            e.preventDefault();
            apply();
          }}
        >
          <label>
            {t('period.from')} <input type="date" value={from} max={today} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label>
            {t('period.to')} <input type="date" value={to} max={today} onChange={(e) => setTo(e.target.value)} />
          </label>
          <button type="submit" className="button button--small">
            {t('period.apply')}
          </button>
          {error && (
            <p className="period-custom__error" role="alert">
              {error}
            </p>
          )}
        </form>
      ) : null}
    </fieldset>
  );
}
