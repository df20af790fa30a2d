import type { Severity } from '@ioc/shared';
import { severityLabel } from './alertList';

/** A shape per severity, so the level reads without colour: octagon, triangle, diamond, circle. */
export function SeverityIcon({ severity, size = 16 }: { severity: Severity; size?: number }) {
  const common = { width: size, height: size, viewBox: '0 0 16 16', 'aria-hidden': true, focusable: false, className: 'sev-icon' } as const;
  switch (severity) {
    case 'critical':
      return (
        <svg {...common}>
          <polygon points="5,0.5 11,0.5 15.5,5 15.5,11 11,15.5 5,15.5 0.5,11 0.5,5" fill="currentColor" />
          <rect x="7" y="3.5" width="2" height="6" fill="#fff" />
          <rect x="7" y="11" width="2" height="2" fill="#fff" />
        </svg>
      );
    case 'major':
      return (
        <svg {...common}>
          <polygon points="8,0.8 15.6,15 0.4,15" fill="currentColor" />
          <rect x="7" y="5.5" width="2" height="5" fill="#fff" />
          <rect x="7" y="11.5" width="2" height="2" fill="#fff" />
        </svg>
      );
    case 'minor':
      return (
        <svg {...common}>
          <polygon points="8,0.5 15.5,8 8,15.5 0.5,8" fill="currentColor" />
        </svg>
      );
    case 'warning':
      return (
        <svg {...common}>
          <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" strokeWidth="2" />
          <rect x="7" y="4" width="2" height="5" fill="currentColor" />
          <rect x="7" y="10.5" width="2" height="2" fill="currentColor" />
        </svg>
      );
  }
}

export function SeverityBadge({ severity }: { severity: Severity }) {
  return (
    <span className={`sev sev--${severity}`}>
      <SeverityIcon severity={severity} />
      <span>{severityLabel(severity)}</span>
    </span>
  );
}
