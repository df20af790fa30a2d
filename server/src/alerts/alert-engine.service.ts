import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import {
  DEFAULT_RULES,
  INITIAL_RULE_STATE,
  type RuleDefinition,
  type RuleParams,
  type RuleState,
  type Severity,
  type Transition,
  effectiveParams,
  evaluateRule,
  severityOf,
} from '@ioc/shared';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { inTransaction } from '../common/transaction.js';
import { ChangeFeed } from '../ingest/change-feed.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { RuleObservations } from './observations.js';

/**
 * Advisory lock taken for the length of an evaluation (any fixed 64-bit number, distinct from the
 * other advisory keys: …020 migrations, …021 live publisher, …022 log appends, …023 projector lease).
 */
const EVALUATION_LOCK = '4840431902113040';

export interface EvaluationResult {
  /** Rule × unit pairs evaluated. */
  evaluated: number;
  transitions: number;
  ms: number;
}

interface Update {
  id: string;
  transition: Exclude<Transition, { kind: 'fire' }>;
  value: number | null;
  details: Record<string, unknown>;
}

interface ActiveAlert {
  id: string;
  severity: Severity;
  lastValue: number | null;
}

/**
 * Evaluates every rule for every unit on a timer. An evaluation runs in one
 * transaction under an advisory lock, so server processes take turns; the
 * unique index on active alerts is the last guard against a duplicate.
 */
@Injectable()
export class AlertEngine implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('AlertEngine');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
    private readonly observations: RuleObservations,
    private readonly changes: ChangeFeed,
    private readonly metrics: MetricsService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.alerts.evaluateEveryMs <= 0) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.evaluate()
        .catch((e: unknown) => this.log.warn(`alert evaluation failed: ${(e as Error).message}`))
        .finally(() => (this.running = null));
    }, this.config.alerts.evaluateEveryMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One evaluation at `now`; null when another process was evaluating. */
  async evaluate(now = Date.now(), rules: readonly RuleDefinition[] = DEFAULT_RULES): Promise<EvaluationResult | null> {
    const t0 = performance.now();
    const changedUnits = new Set<string>();
    const result = await inTransaction(this.db, async (m) => {
      const [{ ok }] = (await m.query('SELECT pg_try_advisory_xact_lock($1::bigint) AS ok', [EVALUATION_LOCK])) as { ok: boolean }[];
      if (!ok) return null;
      // The measurements run on other connections of the pool while this one reads the rules' state (one query at a time).
      const session = this.observations.session(now, this.config.alerts.calendar, rules);
      const [[overrides, states, active], measured] = await Promise.all([
        (async () => [await this.overrides(m), await this.states(m), await this.active(m)] as const)(),
        Promise.all(rules.map((r) => session.measure(r))),
      ]);
      session.done();

      const stateRows: unknown[] = [];
      const values: { id: string; value: number }[] = [];
      const fired: unknown[] = [];
      // The parameters fired alerts keep, each sent once: a rule's alerts share them unless overridden.
      const firedParams = new Map<RuleParams, number>();
      const updates: Update[] = [];
      let evaluated = 0;
      rules.forEach((rule, r) => {
        const measure = measured[r]!;
        const { codes, provinceCodes } = this.observations.unitsOf(rule.level);
        const ruleOverrides = overrides.get(rule.id);
        const ruleStates = states.get(rule.id);
        const ruleActive = active.get(rule.id);
        for (let i = 0; i < codes.length; i++) {
          evaluated++;
          const code = codes[i]!;
          const province = provinceCodes[i]!;
          const params = ruleOverrides ? effectiveParams(rule, ruleOverrides.get(province), code !== province ? ruleOverrides.get(code) : undefined) : rule.defaults;
          const measuredValue = measure.value[i];
          const value = measuredValue !== undefined && measuredValue !== null && measure.volume[i]! >= params.minVolume ? measuredValue : null;
          const prev = ruleStates?.get(code);
          // Nothing pending, active or clearing, and a value that raises no alert: evaluateRule would change nothing.
          const quiet = prev === undefined && (!params.enabled || value === null || severityOf(value, params) === null);
          const { next, transition } = quiet ? QUIET : evaluateRule(prev ?? INITIAL_RULE_STATE, value, params, now);
          if (!quiet && !sameState(prev ?? INITIAL_RULE_STATE, next)) {
            stateRows.push({ rule_id: rule.id, unit_code: code, pending_since: iso(next.pendingSince), clear_since: iso(next.clearSince), active: next.active, last_value: next.lastValue });
          }
          if (!transition) {
            // An active alert shows its latest value.
            const a = ruleActive?.get(code);
            if (a && value !== null && value !== a.lastValue) values.push({ id: a.id, value });
            continue;
          }
          changedUnits.add(code);
          const details = measuredValue === undefined ? { volume: null } : { ...measure.details(i), volume: measure.volume[i]! };
          if (transition.kind === 'fire') {
            let p = firedParams.get(params);
            if (p === undefined) firedParams.set(params, (p = firedParams.size));
            fired.push({ rule_id: rule.id, unit_code: code, province_code: province, severity: transition.to, fired_value: value, params: p, details });
          } else {
            const a = ruleActive?.get(code);
            if (a) updates.push({ id: a.id, transition, value, details });
          }
        }
      });
      await this.write(m, now, stateRows, fired, [...firedParams.keys()], updates);
      await m.query(
        `INSERT INTO alert_evaluation (id, evaluated_at, evaluated) VALUES (true, $1, $2)
         ON CONFLICT (id) DO UPDATE SET evaluated_at = excluded.evaluated_at, evaluated = excluded.evaluated`,
        [new Date(now).toISOString(), evaluated],
      );
      if (values.length) {
        await m.query(
          `UPDATE alert a SET last_value = x.value FROM json_to_recordset($1::json) AS x(id bigint, value float8) WHERE a.id = x.id`,
          [JSON.stringify(values)],
        );
      }
      return { evaluated, transitions: fired.length + updates.length };
    });
    if (result === null) return null;
    this.metrics.observeAlertTick((performance.now() - t0) / 1000);
    // The units whose alerts changed: live topics of their scopes are recomputed.
    this.changes.publish([...changedUnits]);
    return { ...result, ms: Math.round((performance.now() - t0) * 10) / 10 };
  }

  /** `fired` alerts name their parameters by position in `params`. */
  private async write(m: EntityManager, now: number, stateRows: unknown[], fired: unknown[], params: RuleParams[], updates: Update[]): Promise<void> {
    const at = new Date(now).toISOString();
    if (stateRows.length) {
      await m.query(
        `INSERT INTO alert_state AS s (rule_id, unit_code, pending_since, clear_since, active, last_value)
         SELECT rule_id, unit_code, pending_since, clear_since, active, last_value
           FROM json_to_recordset($1::json) AS x(rule_id text, unit_code text, pending_since timestamptz, clear_since timestamptz, active text, last_value float8)
         ON CONFLICT (rule_id, unit_code) DO UPDATE SET pending_since = excluded.pending_since, clear_since = excluded.clear_since,
           active = excluded.active, last_value = excluded.last_value`,
        [JSON.stringify(stateRows)],
      );
    }
    if (fired.length) {
      // The unique index on active alerts drops a second one for the same rule and unit.
      await m.query(
        `WITH f AS (
           INSERT INTO alert (rule_id, unit_code, province_code, severity, status, fired_at, updated_at, fired_value, last_value, params, details)
           SELECT rule_id, unit_code, province_code, severity, 'active', $2, $2, fired_value, fired_value, $3::jsonb -> params, details
             FROM json_to_recordset($1::json) AS x(rule_id text, unit_code text, province_code text, severity text, fired_value float8, params int, details jsonb)
           ON CONFLICT (rule_id, unit_code) WHERE status = 'active' DO NOTHING
           RETURNING id, severity, fired_value, details)
         INSERT INTO alert_event (alert_id, at, actor, action, from_state, to_state, details)
         SELECT id, $2, 'system', 'fired', NULL, jsonb_build_object('status', 'active', 'severity', severity, 'acknowledged', false),
                jsonb_build_object('value', fired_value) || details FROM f`,
        [JSON.stringify(fired), at, JSON.stringify(params)],
      );
    }
    if (updates.length) {
      // Escalations, lowerings and clearances of this tick, in one statement each.
      const rows = updates.map(({ id, transition: t, value, details }) => {
        const clear = t.kind === 'clear';
        return {
          id,
          cleared: clear,
          severity: clear ? t.from : t.to,
          value,
          action: clear ? 'cleared' : t.kind === 'escalate' ? 'escalated' : 'deescalated',
          from_state: clear ? { status: 'active', severity: t.from } : { severity: t.from },
          to_state: clear ? { status: 'cleared', severity: t.from } : { severity: t.to },
          note: clear && t.reason === 'disabled' ? 'the rule was disabled' : null,
          details: { value, ...details },
        };
      });
      await m.query(
        `UPDATE alert a SET severity = x.severity, last_value = x.value, updated_at = $2,
                status = CASE WHEN x.cleared THEN 'cleared' ELSE a.status END,
                cleared_at = CASE WHEN x.cleared THEN $2::timestamptz ELSE a.cleared_at END
           FROM json_to_recordset($1::json) AS x(id bigint, cleared boolean, severity text, value float8)
          WHERE a.id = x.id AND a.status = 'active'`,
        [JSON.stringify(rows), at],
      );
      await m.query(
        `INSERT INTO alert_event (alert_id, at, actor, action, from_state, to_state, note, details)
         SELECT id, $2, 'system', action, from_state, to_state, note, details
           FROM json_to_recordset($1::json) AS x(id bigint, action text, from_state jsonb, to_state jsonb, note text, details jsonb)`,
        [JSON.stringify(rows), at],
      );
    }
  }

  private async overrides(m: EntityManager): Promise<ByRule<Partial<RuleParams>>> {
    const rows = (await m.query('SELECT rule_id, unit_code, params FROM alert_rule_override')) as { rule_id: string; unit_code: string; params: Partial<RuleParams> }[];
    return byRule(rows.map((r) => [r.rule_id, r.unit_code, r.params]));
  }

  /**
   * The states that are not the initial one (the last value alone decides nothing). Thousands of
   * rows come as one JSON value, parsed natively; times as epoch ms, as a Date read from the row holds them.
   */
  private async states(m: EntityManager): Promise<ByRule<RuleState>> {
    const [{ rows }] = (await m.query(
      `SELECT coalesce(json_agg(json_build_array(rule_id, unit_code, floor(extract(epoch FROM pending_since) * 1000), floor(extract(epoch FROM clear_since) * 1000), active, last_value)), '[]') AS rows
         FROM alert_state WHERE pending_since IS NOT NULL OR clear_since IS NOT NULL OR active IS NOT NULL`,
    )) as { rows: [string, string, number | null, number | null, Severity | null, number | null][] }[];
    return byRule(rows.map(([rule, unit, pendingSince, clearSince, active, lastValue]) => [rule, unit, { pendingSince, clearSince, active, lastValue }]));
  }

  private async active(m: EntityManager): Promise<ByRule<ActiveAlert>> {
    const [{ rows }] = (await m.query(
      `SELECT coalesce(json_agg(json_build_array(id::text, rule_id, unit_code, severity, last_value)), '[]') AS rows FROM alert WHERE status = 'active'`,
    )) as { rows: [string, string, string, Severity, number | null][] }[];
    return byRule(rows.map(([id, rule, unit, severity, lastValue]) => [rule, unit, { id, severity, lastValue }]));
  }
}

/** Per rule, per unit code. */
type ByRule<T> = Map<string, Map<string, T>>;
function byRule<T>(entries: readonly (readonly [string, string, T])[]): ByRule<T> {
  const out: ByRule<T> = new Map();
  for (const [rule, unit, v] of entries) {
    let m = out.get(rule);
    if (!m) out.set(rule, (m = new Map<string, T>()));
    m.set(unit, v);
  }
  return out;
}

/** What evaluateRule gives a quiet unit: no change, no transition. */
const QUIET = { next: INITIAL_RULE_STATE, transition: null };

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
/** The last value alone is not worth a write: it is kept when something else changes. */
function sameState(a: RuleState, b: RuleState): boolean {
  return a.pendingSince === b.pendingSince && a.clearSince === b.clearSince && a.active === b.active;
}
