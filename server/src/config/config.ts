import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_WORKING_HOURS, MIN_HOURLY_RETENTION_DAYS, type WorkingCalendar, parseWorkingCalendar } from '@ioc/shared';
import { z } from 'zod';

/** Typed configuration, validated once at boot from the environment. */
export interface AppConfig {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /** External PostgreSQL; when absent an embedded PostgreSQL is started. */
  databaseUrl: string | null;
  embeddedPgDir: string;
  dbPoolSize: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  demo: { enabled: boolean; backfillDays: number; speed: number; seed: number };
  auth: AuthConfig;
  /** Browser origins allowed to call the API and the live stream from another origin (none by default). */
  corsOrigins: string[];
  /** Express `trust proxy`: how many proxies stand in front, so the client address is read right. */
  trustProxy: number;
  /** Cross-node fan-out of the live stream: Redis when set, else PostgreSQL. */
  redisUrl: string | null;
  /** Every live topic is recomputed at least this often, so time-driven changes (overdue) show with no event. */
  liveRefreshMs: number;
  /** Whether this process competes to run the projector (folding the event log into the figures); at least one process must. */
  projector: boolean;
  /** Months of raw events kept (0: all); older months are dropped once folded into the figures. */
  rawLogRetentionMonths: number;
  /** Days of hour-by-hour figures kept before today (0: all); earlier periods are read by day and month. */
  hourlyRetentionDays: number;
  /** Days of raw heartbeats kept (0: all); older days are kept as one summary row per commune and day. */
  heartbeatRetentionDays: number;
  /** Alert rules are evaluated this often (0: never on a timer); silence counts working time only. */
  alerts: { evaluateEveryMs: number; calendar: WorkingCalendar };
  /** Basemap style the dashboard's map loads (its origin is allowed by the CSP); null: the built-in offline style. */
  mapStyleUrl: string | null;
  /** Bearer token GET /metrics requires; null: /metrics answers loopback callers only. */
  metricsToken: string | null;
  notifications: NotificationsConfig;
  /** How often the daily digest (07:30) and the scheduled reports (the 1st, 07:00) are checked for being due (0: only when called, as tests do). */
  reports: { scheduleEveryMs: number };
  /** Serve the built dashboard from this folder when it exists. */
  dashboardDir: string;
  repoRoot: string;
}

export interface AuthConfig {
  /** Signs access tokens; when absent a random secret is created once and kept in the database. */
  secret: string | null;
  accessTokenSeconds: number;
  /** A sign-in lasts this long (the refresh cookie's lifetime). */
  sessionHours: number;
  /** Consecutive wrong passwords that lock an account, and for how long. */
  maxFailures: number;
  lockMinutes: number;
  /** Sign-in attempts per client address per minute. */
  signInPerMinute: number;
  /** Ingest requests per key per minute (0: no limit). */
  ingestPerMinute: number;
  /** Send the refresh cookie only over HTTPS. */
  secureCookies: boolean;
  /** Create the demo accounts (listed in the README) at start. */
  demoAccounts: boolean;
}

export interface NotificationsConfig {
  /** `smtp://` or `smtps://` server mail goes through; null: the in-process catcher in demo mode, else no mail. */
  smtpUrl: string | null;
  /** Sender of the mails (an email channel may name its own). */
  smtpFrom: string;
  /** How often alert transitions are turned into messages and due messages sent (0: only when called, as tests do). */
  pollMs: number;
  /** Attempts before a message is dead-lettered; waits double from retryBaseMs between them. */
  maxAttempts: number;
  retryBaseMs: number;
  /** Start the in-process mail catcher (demo mode without SMTP_URL). */
  mailCatcher: boolean;
}

function findUp(start: string, predicate: (dir: string) => boolean): string {
  let dir = start;
  for (;;) {
    if (predicate(dir)) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot locate the project folder from ${start}`);
    dir = parent;
  }
}

const here = dirname(fileURLToPath(import.meta.url));
/** The monorepo root (the folder whose package.json declares workspaces). */
export const REPO_ROOT = findUp(here, (d) => {
  const p = join(d, 'package.json');
  return existsSync(p) && 'workspaces' in (JSON.parse(readFileSync(p, 'utf8')) as object);
});
export const SERVER_ROOT = join(REPO_ROOT, 'server');

const bool = z.enum(['on', 'off', 'true', 'false', '1', '0', 'yes', 'no'], { error: 'must be on or off' }).transform((v) => ['on', 'true', '1', 'yes'].includes(v));
const int = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: 'must be a whole number' })
    .transform(Number)
    .refine((n) => n >= min && n <= max, { error: `must be between ${min} and ${max}` });

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test'], { error: 'must be development, production or test' }).default('development'),
  PORT: int(0, 65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/.+/, { error: 'must be a postgres:// or postgresql:// URL' })
    .optional(),
  EMBEDDED_PG_DIR: z.string().min(1).optional(),
  DB_POOL_SIZE: int(2, 200).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  AUTH_SECRET: z.string().min(32, { error: 'must be at least 32 characters (e.g. openssl rand -base64 48)' }).optional(),
  ACCESS_TOKEN_SECONDS: int(1, 86_400).default(900),
  SESSION_HOURS: int(1, 720).default(12),
  SIGN_IN_MAX_FAILURES: int(1, 100).default(5),
  SIGN_IN_LOCK_MINUTES: int(1, 1440).default(15),
  SIGN_IN_RATE_LIMIT_PER_MINUTE: int(1, 10_000).default(20),
  INGEST_RATE_LIMIT_PER_MINUTE: int(0, 1_000_000).default(1200),
  COOKIE_SECURE: bool.optional(),
  DEMO_ACCOUNTS: bool.optional(),
  CORS_ORIGINS: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .refine((list) => list.every((o) => /^https?:\/\/[^/\s]+$/.test(o)), { error: 'must be a comma-separated list of origins like https://ioc.example.gov.vn (no path)' })
    .optional(),
  TRUST_PROXY: int(0, 10).default(0),
  DEMO_FEED: bool.optional(),
  DEMO_BACKFILL_DAYS: int(0, 730).default(90),
  DEMO_SPEED: int(1, 3600).default(1),
  DEMO_SEED: int(0, 2 ** 31).default(2025),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/.+/, { error: 'must be a redis:// or rediss:// URL' })
    .optional(),
  LIVE_REFRESH_SECONDS: int(1, 60).default(15),
  PROJECTOR: bool.optional(),
  RAW_LOG_RETENTION_MONTHS: int(0, 1200).default(0),
  KPI_HOURLY_RETENTION_DAYS: int(0, 3650)
    .refine((n) => n === 0 || n >= MIN_HOURLY_RETENTION_DAYS, {
      error: `must be 0 (keep all) or at least ${MIN_HOURLY_RETENTION_DAYS}: the surge alert compares each hour with the same hour of the 4 weeks before`,
    })
    .default(35),
  HEARTBEAT_RETENTION_DAYS: int(0, 3650).default(90),
  ALERT_EVALUATE_SECONDS: int(0, 3600).default(60),
  ALERT_WORKING_HOURS: z.string().default(DEFAULT_WORKING_HOURS),
  ALERT_HOLIDAYS: z.string().default(''),
  MAP_STYLE_URL: z
    .string()
    .refine((s) => /^https?:\/\/\S+$/.test(s) && URL.canParse(s), { error: 'must be an http:// or https:// URL of a MapLibre style (style.json)' })
    .optional(),
  METRICS_TOKEN: z
    .string()
    .regex(/^[\x21-\x7e]{16,}$/, { error: 'must be at least 16 printable characters without spaces (e.g. openssl rand -hex 24)' })
    .optional(),
  SMTP_URL: z
    .string()
    .refine((s) => /^smtps?:\/\/\S+$/.test(s) && URL.canParse(s), { error: 'must be an smtp:// or smtps:// URL, e.g. smtp://user:password@mail.example.gov.vn:587' })
    .optional(),
  SMTP_FROM: z.string().min(3).default('"Trung tâm điều hành IOC" <ioc@localhost>'),
  NOTIFY_POLL_SECONDS: int(0, 3600).default(5),
  NOTIFY_MAX_ATTEMPTS: int(1, 20).default(6),
  NOTIFY_RETRY_SECONDS: int(1, 3600).default(30),
  REPORTS_SCHEDULE_SECONDS: int(0, 3600).default(60),
  /** Where the built dashboard is served from (default dashboard/dist). */
  DASHBOARD_DIR: z.string().min(1).optional(),
});

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Reads and validates the whole environment, reporting every bad variable at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const c = parsed.data;
  const production = c.NODE_ENV === 'production';
  const problems: string[] = [];
  const calendar = parseWorkingCalendar(c.ALERT_WORKING_HOURS, c.ALERT_HOLIDAYS);
  if (!calendar.ok) problems.push(`ALERT_WORKING_HOURS / ALERT_HOLIDAYS: ${calendar.reason}`);
  if (production && !c.AUTH_SECRET) problems.push('AUTH_SECRET: required in production (at least 32 random characters), so tokens survive restarts and every process agrees');
  if (production && !c.DATABASE_URL) problems.push('DATABASE_URL: required in production');
  if (problems.length) throw new ConfigError(problems);
  const demoEnabled = c.DEMO_FEED ?? !production;
  return {
    env: c.NODE_ENV,
    port: c.PORT,
    host: c.HOST,
    databaseUrl: c.DATABASE_URL ?? null,
    embeddedPgDir: resolve(c.EMBEDDED_PG_DIR ?? join(REPO_ROOT, '.data', 'pg')),
    dbPoolSize: c.DB_POOL_SIZE,
    logLevel: c.LOG_LEVEL,
    demo: { enabled: demoEnabled, backfillDays: c.DEMO_BACKFILL_DAYS, speed: c.DEMO_SPEED, seed: c.DEMO_SEED },
    auth: {
      secret: c.AUTH_SECRET ?? null,
      accessTokenSeconds: c.ACCESS_TOKEN_SECONDS,
      sessionHours: c.SESSION_HOURS,
      maxFailures: c.SIGN_IN_MAX_FAILURES,
      lockMinutes: c.SIGN_IN_LOCK_MINUTES,
      signInPerMinute: c.SIGN_IN_RATE_LIMIT_PER_MINUTE,
      ingestPerMinute: c.INGEST_RATE_LIMIT_PER_MINUTE,
      secureCookies: c.COOKIE_SECURE ?? production,
      // Never in production unless asked for by name.
      demoAccounts: c.DEMO_ACCOUNTS ?? (demoEnabled && !production),
    },
    corsOrigins: c.CORS_ORIGINS ?? [],
    trustProxy: c.TRUST_PROXY,
    redisUrl: c.REDIS_URL ?? null,
    liveRefreshMs: c.LIVE_REFRESH_SECONDS * 1000,
    projector: c.PROJECTOR ?? true,
    rawLogRetentionMonths: c.RAW_LOG_RETENTION_MONTHS,
    hourlyRetentionDays: c.KPI_HOURLY_RETENTION_DAYS,
    heartbeatRetentionDays: c.HEARTBEAT_RETENTION_DAYS,
    alerts: { evaluateEveryMs: c.ALERT_EVALUATE_SECONDS * 1000, calendar: (calendar as { ok: true; calendar: WorkingCalendar }).calendar },
    mapStyleUrl: c.MAP_STYLE_URL ?? null,
    metricsToken: c.METRICS_TOKEN ?? null,
    notifications: {
      smtpUrl: c.SMTP_URL ?? null,
      smtpFrom: c.SMTP_FROM,
      pollMs: c.NOTIFY_POLL_SECONDS * 1000,
      maxAttempts: c.NOTIFY_MAX_ATTEMPTS,
      retryBaseMs: c.NOTIFY_RETRY_SECONDS * 1000,
      mailCatcher: demoEnabled && !c.SMTP_URL,
    },
    reports: { scheduleEveryMs: c.REPORTS_SCHEDULE_SECONDS * 1000 },
    dashboardDir: c.DASHBOARD_DIR ?? join(REPO_ROOT, 'dashboard', 'dist'),
    repoRoot: REPO_ROOT,
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
