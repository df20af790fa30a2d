import type { Severity, UnitRef } from '@ioc/shared';
import type { Queryable } from '../database/queryable.js';

/*
 * The daily digest's record (table report_digest: one row per account and local day,
 * claimed before sending), and the open alerts a digest lists (the alerts module's
 * `alert` table).
 */

/** An open alert as the digest lists it. */
export interface DigestAlertRow {
  severity: Severity;
  ruleId: string;
  unitCode: string;
  firedAt: Date;
}

/**
 * Claims the digest of an account for a local day: a first claim, a failed one to try
 * again (fewer than `maxAttempts`, last tried before `retryBefore`), or one whose sender
 * has held it since before `staleBefore` (it died). False when it is sent or being sent.
 */
export async function claimDigest(q: Queryable, d: { userId: string; date: string; email: string }, now: Date, opts: { maxAttempts: number; retryBefore: Date; staleBefore: Date }): Promise<boolean> {
  const [row] = (await q.query(
    `INSERT INTO report_digest (user_id, digest_date, status, claimed_at, email) VALUES ($1, $2, 'sending', $3, $4)
     ON CONFLICT (user_id, digest_date) DO UPDATE SET status = 'sending', claimed_at = EXCLUDED.claimed_at, email = EXCLUDED.email, attempts = report_digest.attempts + 1
       WHERE (report_digest.status = 'failed' AND report_digest.attempts < ${Number(opts.maxAttempts)} AND report_digest.claimed_at < $5)
          OR (report_digest.status = 'sending' AND report_digest.claimed_at < $6)
     RETURNING user_id`,
    [d.userId, d.date, now, d.email, opts.retryBefore, opts.staleBefore],
  )) as { user_id: string }[];
  return row !== undefined;
}

/** Records how a claimed digest went: sent (at `at`) or failed, with its subject. */
export async function recordDigest(q: Queryable, userId: string, date: string, r: { sent: boolean; subject: string; at: Date; error: string | null }): Promise<void> {
  await q.query(`UPDATE report_digest SET status = $3, subject = $4, sent_at = CASE WHEN $3 = 'sent' THEN $5::timestamptz END, last_error = $6 WHERE user_id = $1 AND digest_date = $2`, [
    userId,
    date,
    r.sent ? 'sent' : 'failed',
    r.subject,
    r.at,
    r.error,
  ]);
}

/** A claimed digest could not be made. */
export async function digestFailed(q: Queryable, userId: string, date: string, error: string): Promise<void> {
  await q.query(`UPDATE report_digest SET status = 'failed', last_error = $3 WHERE user_id = $1 AND digest_date = $2`, [userId, date, error]);
}

/** The active alerts of a scope: the most severe first, then the latest fired. */
export async function activeAlertsOf(q: Queryable, unit: UnitRef): Promise<DigestAlertRow[]> {
  const args: unknown[] = [];
  const scope = unit.kind === 'nation' ? 'TRUE' : `${unit.kind === 'commune' ? 'unit_code' : 'province_code'} = $${args.push(unit.code)}`;
  return (await q.query(
    `SELECT severity, rule_id AS "ruleId", unit_code AS "unitCode", fired_at AS "firedAt" FROM alert WHERE status = 'active' AND ${scope}
     ORDER BY array_position(ARRAY['critical','major','minor','warning'], severity), fired_at DESC, id DESC`,
    args,
  )) as DigestAlertRow[];
}
