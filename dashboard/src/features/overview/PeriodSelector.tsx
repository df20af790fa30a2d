import { PERIOD_LABELS, PERIOD_PRESETS, isPeriodPreset, type PeriodPreset } from '../../lib/period';

interface Props {
  value: PeriodPreset;
  onChange: (p: PeriodPreset) => void;
}

/** A radio group: Tab reaches it, arrow keys move between periods. */
export function PeriodSelector({ value, onChange }: Props) {
  return (
    <fieldset className="segmented">
      <legend className="segmented__legend">Kỳ báo cáo</legend>
      <div className="segmented__options">
        {PERIOD_PRESETS.map((p) => (
          <label key={p} className="segmented__option">
            <input
              type="radio"
              name="period"
              value={p}
              checked={value === p}
              onChange={(e) => {
                if (isPeriodPreset(e.target.value)) onChange(e.target.value);
              }}
            />
            <span>{PERIOD_LABELS[p]}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
