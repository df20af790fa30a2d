import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatClock, formatInstant } from '../../lib/format';

/** Vietnam's time, to the second, always on screen. */
export function WallClock() {
  const { t } = useTranslation('operations');
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const full = formatInstant(now);
  return (
    <p className="wall-clock" aria-label={t('wall.clock', { time: full })}>
      <span className="wall-clock__time">{formatClock(now)}</span>
      <span className="wall-clock__date">
        {full.slice(full.lastIndexOf(' ') + 1)} · {t('wall.vietnamTime')}
      </span>
    </p>
  );
}
