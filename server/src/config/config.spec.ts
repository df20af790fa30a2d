import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from './config.js';

describe('configuration', () => {
  it('has defaults that start the whole product with nothing set', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, databaseUrl: null, demo: { enabled: true, backfillDays: 90, speed: 1 }, corsOrigins: [] });
    expect(c.auth).toMatchObject({ secret: null, accessTokenSeconds: 900, demoAccounts: true, secureCookies: false, maxFailures: 5 });
    expect(c.embeddedPgDir).toMatch(/\.data[/\\]pg$/);
  });

  it('keeps hourly rollups 35 days by default, all of them with 0, and never fewer than the surge alert reads', () => {
    expect(loadConfig({}).hourlyRetentionDays).toBe(35);
    expect(loadConfig({ KPI_HOURLY_RETENTION_DAYS: '0' }).hourlyRetentionDays).toBe(0);
    expect(loadConfig({ KPI_HOURLY_RETENTION_DAYS: '29' }).hourlyRetentionDays).toBe(29);
    expect(() => loadConfig({ KPI_HOURLY_RETENTION_DAYS: '28' })).toThrow(/KPI_HOURLY_RETENTION_DAYS[\s\S]*at least 29/);
  });

  it('reports every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', DEMO_SPEED: '0', DEMO_FEED: 'maybe', AUTH_SECRET: 'short', CORS_ORIGINS: 'ioc.example.vn/path' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'DATABASE_URL', 'DEMO_SPEED', 'DEMO_FEED', 'AUTH_SECRET', 'CORS_ORIGINS']) expect(problems).toContain(name);
  });

  it('requires a token secret and an external database in production, and turns the demo and its accounts off there', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/AUTH_SECRET[\s\S]*DATABASE_URL/);
    const c = loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://u:p@db/ioc', AUTH_SECRET: 'x'.repeat(40) });
    expect(c.demo.enabled).toBe(false);
    expect(c.auth).toMatchObject({ demoAccounts: false, secureCookies: true });
    // Even with the demo feed on, production creates demo accounts only when asked by name.
    expect(loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://u:p@db/ioc', AUTH_SECRET: 'x'.repeat(40), DEMO_FEED: 'on' }).auth.demoAccounts).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://u:p@db/ioc', AUTH_SECRET: 'x'.repeat(40), DEMO_ACCOUNTS: 'on' }).auth.demoAccounts).toBe(true);
  });
});
