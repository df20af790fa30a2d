import { useCallback, useEffect, useReducer } from 'react';
import { type RotationEvent, type RotationState, initialRotation, rotate } from './rotation';

const TICK_MS = 250;

/** The rotation, moved by the clock; `send` moves it by hand (keys, buttons, a critical alert). */
export function useRotation(everySeconds: number): [RotationState, (e: RotationEvent) => void] {
  const [state, dispatch] = useReducer(rotate, everySeconds, initialRotation);
  useEffect(() => {
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      dispatch({ type: 'tick', ms: now - last });
      last = now;
    }, TICK_MS);
    return () => clearInterval(timer);
  }, []);
  const send = useCallback((e: RotationEvent) => dispatch(e), []);
  return [state, send];
}
