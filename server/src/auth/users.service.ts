import { Inject, Injectable, Logger } from '@nestjs/common';
import { type DemoAccount, ROLE_SCOPES, type Role, type UserSummary, formatScope, parseScope, roleAllowsScope, passwordResetBodySchema, userCreateBodySchema, userUpdateBodySchema } from '@ioc/shared';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { badRequest, conflict, notFound } from '../common/app-error.js';
import { inTransaction } from '../common/transaction.js';
import { parseBody } from '../common/validation.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { UnitsService } from '../units/units.service.js';
import { AuthService } from './auth.service.js';
import type { AuthedPrincipal, Client } from './auth.types.js';
import { hashPassword, passwordProblem } from './passwords.js';
import { revokeSessionsOf } from './sessions.repository.js';
import type { User } from './user.entity.js';
import { insertUser, listUsers, otherActiveAdmins, setPassword, updateUser, userById, userByIdForUpdate, usernameTaken } from './users.repository.js';

/** The accounts shown on the sign-in page and created at start in demo mode (README: "Demo accounts"). */
export const DEMO_PASSWORD = 'ioc-demo-2025';
export const DEMO_ACCOUNTS: { username: string; displayName: string; role: Role; scope: string }[] = [
  { username: 'admin', displayName: 'Quản trị hệ thống', role: 'admin', scope: 'nation' },
  { username: 'lanhdao', displayName: 'Lãnh đạo Bộ (toàn quốc)', role: 'leader', scope: 'nation' },
  { username: 'lanhdao.hanoi', displayName: 'Lãnh đạo UBND Thành phố Hà Nội', role: 'leader', scope: 'province:01' },
  { username: 'vanhanh.hanoi', displayName: 'Cán bộ trực IOC Hà Nội', role: 'operator', scope: 'province:01' },
  { username: 'chutich.badinh', displayName: 'Chủ tịch UBND phường Ba Đình', role: 'commune_chair', scope: 'commune:00004' },
];

/** Accounts, managed by administrators; every change is in the audit log. */
@Injectable()
export class UsersService {
  private readonly logger = new Logger('Users');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
    private readonly units: UnitsService,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<UserSummary[]> {
    return (await listUsers(this.db.manager)).map((r) => this.summary(r));
  }

  async get(id: string): Promise<UserSummary> {
    return this.summary(await this.row(id));
  }

  async create(body: unknown, by: AuthedPrincipal | null, client: Client, opts: { demo?: boolean } = {}): Promise<UserSummary> {
    const b = parseBody(userCreateBodySchema, body);
    const scopeText = this.checkScope(b.role, b.scope);
    const problem = passwordProblem(b.password, b.username);
    if (problem) throw badRequest(`password: ${problem}`);
    const hashed = await hashPassword(b.password);
    return inTransaction(this.db, async (m) => {
      if (await usernameTaken(m, b.username)) throw conflict(`the username ${b.username} is taken`);
      const row = await insertUser(m, { username: b.username, displayName: b.displayName, role: b.role, scope: scopeText, passwordHash: hashed, demo: opts.demo ?? false });
      await this.audit.record(
        { action: 'user.create', actor: by?.username ?? 'system', target: `user:${row.id}`, ip: client.ip, details: { username: b.username, role: b.role, scope: scopeText } },
        m,
      );
      return this.summary(row);
    });
  }

  async update(id: string, body: unknown, by: AuthedPrincipal, client: Client): Promise<UserSummary> {
    const b = parseBody(userUpdateBodySchema, body);
    if (Object.keys(b).length === 0) throw badRequest('nothing to change: send displayName, role, scope, active or unlock');
    const result = await inTransaction(this.db, async (m) => {
      const cur = await userByIdForUpdate(m, this.checkId(id));
      if (!cur) throw notFound(`no account ${id}`);
      const nextRole = b.role ?? cur.role;
      const nextScope = b.role !== undefined || b.scope !== undefined ? this.checkScope(nextRole, b.scope ?? cur.scope) : cur.scope;
      const nextActive = b.active ?? cur.active;
      if (cur.role === 'admin' && cur.active && (nextRole !== 'admin' || !nextActive)) {
        if ((await otherActiveAdmins(m, cur.id)) === 0) throw conflict('this is the last active administrator: make another account an administrator first');
      }
      const row = await updateUser(m, cur.id, { displayName: b.displayName ?? cur.displayName, role: nextRole, scope: nextScope, active: nextActive }, b.unlock === true);
      // A deactivated account is signed out everywhere.
      if (!nextActive) await revokeSessionsOf(m, cur.id);
      const changes: Record<string, unknown> = {};
      if (b.displayName !== undefined && b.displayName !== cur.displayName) changes.displayName = { from: cur.displayName, to: b.displayName };
      if (nextRole !== cur.role) changes.role = { from: cur.role, to: nextRole };
      if (nextScope !== cur.scope) changes.scope = { from: cur.scope, to: nextScope };
      if (nextActive !== cur.active) changes.active = { from: cur.active, to: nextActive };
      if (b.unlock) changes.unlocked = true;
      await this.audit.record({ action: 'user.update', actor: by.username, target: `user:${cur.id}`, ip: client.ip, details: { username: cur.username, ...changes } }, m);
      return row;
    });
    this.auth.forgetUser(result.id);
    return this.summary(result);
  }

  /** An administrator sets a new password: the lockout is cleared and the account is signed out everywhere. */
  async resetPassword(id: string, body: unknown, by: AuthedPrincipal, client: Client): Promise<UserSummary> {
    const b = parseBody(passwordResetBodySchema, body);
    const cur = await this.row(id);
    const problem = passwordProblem(b.password, cur.username);
    if (problem) throw badRequest(`password: ${problem}`);
    const hashed = await hashPassword(b.password);
    const row = await inTransaction(this.db, async (m) => {
      await setPassword(m, cur.id, hashed, { clearLockout: true });
      await revokeSessionsOf(m, cur.id);
      await this.audit.record({ action: 'user.password_reset', actor: by.username, target: `user:${cur.id}`, ip: client.ip, details: { username: cur.username } }, m);
      return (await userById(m, cur.id))!;
    });
    this.auth.forgetUser(cur.id);
    return this.summary(row);
  }

  /** The demo accounts (demo mode only), created once with the documented password. */
  async ensureDemoAccounts(): Promise<void> {
    for (const a of DEMO_ACCOUNTS) {
      if (await usernameTaken(this.db.manager, a.username)) continue;
      try {
        await this.create({ ...a, password: DEMO_PASSWORD }, null, { ip: null, userAgent: null }, { demo: true });
      } catch (e) {
        // Another process created it at the same moment.
        if (!(e instanceof Error && /taken|duplicate key/.test(e.message))) throw e;
      }
    }
    this.logger.log(`demo accounts ready (${DEMO_ACCOUNTS.map((a) => a.username).join(', ')}; password ${DEMO_PASSWORD})`);
  }

  demoAccounts(): DemoAccount[] {
    if (!this.config.auth.demoAccounts) return [];
    return DEMO_ACCOUNTS.map((a) => ({ ...a, password: DEMO_PASSWORD, scopeName: this.units.scopeName(parseScope(a.scope)!) }));
  }

  private checkScope(role: Role, scopeText: string): string {
    const ref = this.units.refOf(scopeText);
    if (!roleAllowsScope(role, ref))
      throw badRequest(`scope: for role ${role} the scope is ${ROLE_SCOPES[role].map((k) => (k === 'nation' ? 'nation' : `${k}:<code>`)).join(' or ')}, got ${formatScope(ref)}`);
    return formatScope(ref);
  }

  private checkId(id: string): string {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw badRequest(`account id must be a UUID, got "${id}"`);
    return id;
  }

  private async row(id: string): Promise<User> {
    const row = await userById(this.db.manager, this.checkId(id));
    if (!row) throw notFound(`no account ${id}`);
    return row;
  }

  private summary(r: User): UserSummary {
    return {
      ...this.auth.sessionUser(r),
      active: r.active,
      lockedUntil: r.lockedUntil && r.lockedUntil.getTime() > Date.now() ? r.lockedUntil.toISOString() : null,
      lastSignInAt: r.lastSignInAt?.toISOString() ?? null,
      createdAt: r.createdAt.toISOString(),
    };
  }
}
