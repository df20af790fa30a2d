import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { ConfigError, loadConfig } from '../src/config/config.js';
import { type TestApp, startTestApp } from './harness.js';

const STYLE = 'https://tiles.example.gov.vn/styles/basic/style.json';

/** The CSP directive `name` as a list of sources. */
function cspSources(header: string | undefined, name: string): string[] {
  const directive = (header ?? '')
    .split(';')
    .map((d) => d.trim().split(/\s+/))
    .find(([n]) => n === name);
  return directive ? directive.slice(1) : [];
}

describe('client configuration: the basemap', () => {
  let t: TestApp;
  let offline: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ MAP_STYLE_URL: STYLE });
    offline = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
    await offline?.close();
  });

  it('answers MAP_STYLE_URL to anyone, signed in or not', async () => {
    const res = await request(t.app.getHttpServer()).get('/api/v1/client-config');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ mapStyleUrl: STYLE, hourlyRetentionDays: 0 });
  });

  it("lets the browser load the basemap's style, tiles, glyphs and sprites from its origin, and nothing more", async () => {
    const res = await request(t.app.getHttpServer()).get('/api/v1/client-config');
    const csp = res.headers['content-security-policy'];
    for (const d of ['connect-src', 'img-src', 'font-src']) {
      expect(cspSources(csp, d)).toContain('https://tiles.example.gov.vn');
    }
    expect(cspSources(csp, 'script-src')).not.toContain('https://tiles.example.gov.vn');
    expect(csp).not.toContain('/styles/basic');
  });

  it('answers null without MAP_STYLE_URL, and the CSP stays on its own origin', async () => {
    const res = await request(offline.app.getHttpServer()).get('/api/v1/client-config');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ mapStyleUrl: null, hourlyRetentionDays: 0 });
    expect(cspSources(res.headers['content-security-policy'], 'connect-src')).toEqual(["'self'"]);
  });

  it('refuses a MAP_STYLE_URL that is not an http(s) URL, at start-up', () => {
    for (const bad of ['ftp://tiles.example.gov.vn/style.json', 'tiles.example.gov.vn/style.json', 'https://tiles example/style.json']) {
      expect(() => loadConfig({ NODE_ENV: 'test', MAP_STYLE_URL: bad })).toThrow(ConfigError);
    }
    expect(loadConfig({ NODE_ENV: 'test', MAP_STYLE_URL: 'http://10.0.0.5:8080/style.json' }).mapStyleUrl).toBe('http://10.0.0.5:8080/style.json');
    expect(loadConfig({ NODE_ENV: 'test' }).mapStyleUrl).toBeNull();
  });
});
