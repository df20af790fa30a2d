import { describe, expect, it } from '@jest/globals';
import { requestLogLevel } from './logging.js';

describe('requestLogLevel', () => {
  it('logs server failures at error, accepted heartbeats at debug, the rest at info', () => {
    expect(requestLogLevel('/api/v1/kpis', 503)).toBe('error');
    expect(requestLogLevel('/api/v1/kpis', 200, new Error('x'))).toBe('error');
    expect(requestLogLevel('/api/v1/heartbeats', 200)).toBe('debug');
    expect(requestLogLevel('/api/v1/heartbeats', 503)).toBe('error');
    // A refused heartbeat is worth seeing.
    expect(requestLogLevel('/api/v1/heartbeats', 401)).toBe('info');
    expect(requestLogLevel('/api/v1/events', 200)).toBe('info');
    expect(requestLogLevel(undefined, 404)).toBe('info');
  });
});
