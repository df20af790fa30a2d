import { describe, expect, it } from '@jest/globals';
import { ConfigError, DEMO_INGEST_KEY, loadConfig } from './config.js';

describe('configuration', () => {
  it('has defaults that start the whole product with nothing set', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, databaseUrl: null, ingestApiKeys: [DEMO_INGEST_KEY], demo: { enabled: true, backfillDays: 90, speed: 1 } });
    expect(c.embeddedPgDir).toMatch(/\.data[/\\]pg$/);
  });

  it('reports every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', DEMO_SPEED: '0', DEMO_FEED: 'maybe', INGEST_API_KEYS: 'short' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'DATABASE_URL', 'DEMO_SPEED', 'DEMO_FEED', 'INGEST_API_KEYS']) expect(problems).toContain(name);
  });

  it('requires real keys and an external database in production, and turns the demo off there', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/INGEST_API_KEYS[\s\S]*DATABASE_URL/);
    const c = loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://u:p@db/ioc', INGEST_API_KEYS: 'key-of-system-one,key-of-system-two' });
    expect(c.demo.enabled).toBe(false);
    expect(c.ingestApiKeys).toEqual(['key-of-system-one', 'key-of-system-two']);
  });
});
