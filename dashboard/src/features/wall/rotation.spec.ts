import { describe, expect, it } from '@jest/globals';
import { currentView, everySecondsOf, hashQuery, initialRotation, progressOf, rotate } from './rotation';

describe('the wall rotation', () => {
  it('moves to the next view after each period, wrapping around', () => {
    let s = initialRotation(20);
    expect(currentView(s)).toBe('map');
    s = rotate(s, { type: 'tick', ms: 10_000 });
    expect([currentView(s), progressOf(s)]).toEqual(['map', 0.5]);
    s = rotate(s, { type: 'tick', ms: 10_000 });
    expect([currentView(s), progressOf(s)]).toEqual(['alerts', 0]);
    s = rotate(rotate(s, { type: 'tick', ms: 20_000 }), { type: 'tick', ms: 20_000 });
    expect(currentView(s)).toBe('map');
  });

  it('a long gap (a sleeping screen) moves one view only', () => {
    expect(currentView(rotate(initialRotation(20), { type: 'tick', ms: 600_000 }))).toBe('alerts');
  });

  it('pauses and resumes where it was', () => {
    let s = rotate(initialRotation(20), { type: 'tick', ms: 5_000 });
    s = rotate(s, { type: 'togglePause' });
    s = rotate(s, { type: 'tick', ms: 60_000 });
    expect([currentView(s), s.elapsedMs, s.paused]).toEqual(['map', 5_000, true]);
    s = rotate(s, { type: 'togglePause' });
    s = rotate(s, { type: 'tick', ms: 15_000 });
    expect(currentView(s)).toBe('alerts');
  });

  it('arrows move both ways and restart the period', () => {
    let s = rotate(initialRotation(20), { type: 'tick', ms: 7_000 });
    s = rotate(s, { type: 'previous' });
    expect([currentView(s), s.elapsedMs]).toEqual(['ranking', 0]);
    s = rotate(s, { type: 'next' });
    expect(currentView(s)).toBe('map');
    expect(currentView(rotate(s, { type: 'goto', view: 'ranking' }))).toBe('ranking');
  });

  it('a critical alert interrupts to the alerts view for a whole period, paused or not', () => {
    let s = rotate(rotate(initialRotation(20), { type: 'next' }), { type: 'next' });
    s = rotate(s, { type: 'tick', ms: 19_000 });
    s = rotate(s, { type: 'critical' });
    expect([currentView(s), s.elapsedMs]).toEqual(['alerts', 0]);
    const paused = rotate(rotate(initialRotation(20), { type: 'togglePause' }), { type: 'critical' });
    expect([currentView(paused), paused.paused]).toEqual(['alerts', true]);
  });

  it('reads its period from the address', () => {
    expect(hashQuery('#/wall?every=30')).toBe('?every=30');
    expect(hashQuery('#/wall')).toBe('');
    expect(everySecondsOf('?every=30')).toBe(30);
    expect(everySecondsOf('')).toBe(20);
    expect(everySecondsOf('?every=abc')).toBe(20);
    expect(everySecondsOf('?every=')).toBe(20);
    expect(everySecondsOf('?every=1')).toBe(5);
    expect(everySecondsOf('?every=99999')).toBe(600);
    expect(initialRotation(everySecondsOf('?every=45')).periodMs).toBe(45_000);
  });
});
