import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DEFAULT_RULES, INITIAL_RULE_STATE, type RuleDefinition, type RuleParams, type RuleState, type Severity, type Transition, effectiveParams, evaluateRule, severityOf } from '@ioc/shared';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { inTransaction } from '../common/transaction.js';
import { ChangeFeed } from '../ingest/change-feed.js';
import { MetricsService } from '../metrics/metrics.service.js';
import {
  type FiredRecord,
  type LastValueRecord,
  type StateRecord,
  type TransitionRecord,
  activeAlerts,
  applyTransitions,
  fireAlerts,
  recordEvaluation,
  ruleOverrides,
  ruleStates,
  saveStates,
  setLastValues,
  tryEvaluationLock,
} from './alert-store.js';
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
      if (!(await tryEvaluationLock(m, EVALUATION_LOCK))) return null;
      // The measurements run on other connections of the pool while this one reads the rules' state (one query at a time).
      const session = this.observations.session(now, this.config.alerts.calendar, rules);
      const [[overrides, states, active], measured] = await Promise.all([
        (async () => [await this.overrides(m), await this.states(m), await this.active(m)] as const)(),
        Promise.all(rules.map((r) => session.measure(r))),
      ]);
      session.done();

      const stateRows: StateRecord[] = [];
      const values: LastValueRecord[] = [];
      const fired: FiredRecord[] = [];
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
      await recordEvaluation(m, new Date(now).toISOString(), evaluated);
      if (values.length) await setLastValues(m, values);
      return { evaluated, transitions: fired.length + updates.length };
    });
    if (result === null) return null;
    this.metrics.observeAlertTick((performance.now() - t0) / 1000);
    // The units whose alerts changed: live topics of their scopes are recomputed.
    this.changes.publish([...changedUnits]);
    return { ...result, ms: Math.round((performance.now() - t0) * 10) / 10 };
  }

  /** `fired` alerts name their parameters by position in `params`. */
  private async write(m: EntityManager, now: number, stateRows: StateRecord[], fired: FiredRecord[], params: RuleParams[], updates: Update[]): Promise<void> {
    const at = new Date(now).toISOString();
    if (stateRows.length) await saveStates(m, stateRows);
    if (fired.length) await fireAlerts(m, fired, at, params);
    if (updates.length) {
      // Escalations, lowerings and clearances of this tick, in one statement each.
      const rows = updates.map(({ id, transition: t, value, details }): TransitionRecord => {
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
      await applyTransitions(m, rows, at);
    }
  }

  private async overrides(m: EntityManager): Promise<ByRule<Partial<RuleParams>>> {
    return byRule((await ruleOverrides(m)).map((r) => [r.ruleId, r.unitCode, r.params]));
  }

  /** The states that are not the initial one (the last value alone decides nothing). */
  private async states(m: EntityManager): Promise<ByRule<RuleState>> {
    return byRule((await ruleStates(m)).map(([rule, unit, pendingSince, clearSince, active, lastValue]) => [rule, unit, { pendingSince, clearSince, active, lastValue }]));
  }

  private async active(m: EntityManager): Promise<ByRule<ActiveAlert>> {
    return byRule((await activeAlerts(m)).map(([id, rule, unit, severity, lastValue]) => [rule, unit, { id, severity, lastValue }]));
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
