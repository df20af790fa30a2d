import { useCallback, useSyncExternalStore } from 'react';

/**
 * The audible cue for new critical alerts: a short two-note tone made with
 * WebAudio (no file to load). Browsers only let a page make sound after a
 * gesture, so the operator turns it on with a button; the choice is kept on
 * this browser.
 */
const STORAGE_KEY = 'ioc.operations.sound';

let context: AudioContext | null = null;
const listeners = new Set<() => void>();

function readSetting(): boolean {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) === 'on';
  } catch {
    return false;
  }
}

let enabled = readSetting();

function audio(): AudioContext | null {
  const Ctor = globalThis.AudioContext ?? (globalThis as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctor) return null;
  context ??= new Ctor();
  // Suspended until a gesture: resuming inside the click that turns sound on unlocks it for the page.
  if (context.state === 'suspended') void context.resume().catch(() => undefined);
  return context;
}

/** Two short notes, loud enough to hear across a room, not alarming. */
export function playAlertTone(volume = 0.25): void {
  const ctx = audio();
  if (!ctx || ctx.state !== 'running') return;
  const start = ctx.currentTime + 0.02;
  [880, 660, 880].forEach((freq, i) => {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'sine';
    osc.frequency.value = freq;
    const t0 = start + i * 0.22;
    gain.gain.setValueAtTime(0.0001, t0);
    gain.gain.exponentialRampToValueAtTime(volume, t0 + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + 0.18);
    osc.connect(gain).connect(ctx.destination);
    osc.start(t0);
    osc.stop(t0 + 0.2);
  });
}

export function soundEnabled(): boolean {
  return enabled;
}

/** Turns the tone on or off; call it from the button's click (the gesture that unlocks audio). */
export function setSoundEnabled(on: boolean): void {
  enabled = on;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, on ? 'on' : 'off');
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  if (on) {
    const ctx = audio();
    // A quiet sample, so the operator knows what it will sound like.
    if (ctx)
      void ctx.resume().then(
        () => playAlertTone(0.12),
        () => undefined,
      );
  }
  for (const l of listeners) l();
}

export function useSound(): [boolean, (on: boolean) => void] {
  const on = useSyncExternalStore((l) => {
    listeners.add(l);
    return () => listeners.delete(l);
  }, soundEnabled);
  return [on, useCallback((v: boolean) => setSoundEnabled(v), [])];
}

/**
 * After a reload the setting is on but audio is locked until the next gesture:
 * the first click or key anywhere unlocks it.
 */
export function unlockAudioOnGesture(): () => void {
  const unlock = () => {
    if (enabled) audio();
  };
  globalThis.addEventListener?.('pointerdown', unlock, { once: true });
  globalThis.addEventListener?.('keydown', unlock, { once: true });
  return () => {
    globalThis.removeEventListener?.('pointerdown', unlock);
    globalThis.removeEventListener?.('keydown', unlock);
  };
}

/** True when a tone would actually be heard now (on, and audio unlocked). */
export function soundReady(): boolean {
  return enabled && context?.state === 'running';
}
