import { useEffect, useState } from 'react';

/** The clock, moved every `intervalMs`: ages on screen ("12 phút") follow it without a request. */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
