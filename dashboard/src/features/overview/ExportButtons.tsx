import { useState } from 'react';
import { useTranslation } from 'react-i18next';

interface Props {
  csvLabel: string;
  xlsxLabel: string;
  onCsv: () => void;
  /** Builds and saves the workbook (its library is loaded on the first use). */
  onXlsx: () => Promise<void>;
  disabled?: boolean;
}

/** A table's two downloads; the Excel one says while it is being made, and why it failed. */
export function ExportButtons({ csvLabel, xlsxLabel, onCsv, onXlsx, disabled = false }: Props) {
  const { t } = useTranslation('overview');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const xlsx = () => {
    setBusy(true);
    setError(null);
    onXlsx().then(
      () => setBusy(false),
      (e: unknown) => {
        setBusy(false);
        setError(t('export.failed', { reason: e instanceof Error ? e.message : String(e) }));
      },
    );
  };
  return (
    <span className="export-buttons no-print">
      <button type="button" className="button button--secondary button--small" onClick={onCsv} disabled={disabled}>
        {csvLabel}
      </button>
      <button type="button" className="button button--secondary button--small" onClick={xlsx} disabled={disabled || busy} aria-busy={busy}>
        {xlsxLabel}
      </button>
      {error && (
        <span className="export-buttons__error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
