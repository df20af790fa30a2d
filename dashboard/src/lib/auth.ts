import { SIGNED_IN_HINT_COOKIE, type SessionUser, type TokenResponse } from '@ioc/shared';
import { t } from '../i18n';
import { type Person, unitRefOf } from './access';
import { requestRoute } from './apiRoutes';
import { errorCodeOf } from './http';

/**
 * The sign-in of this page. The access token lives in memory only (never in
 * storage a script could read later); the refresh token is an HTTP-only cookie
 * the page cannot read at all, so a reload restores the sign-in through
 * `/auth/refresh`.
 */
export interface Session {
  /** A new number for every sign-in, so what belongs to one (the live socket, page state) starts afresh with the next. */
  key: number;
  user: SessionUser;
  person: Person;
}

export type AuthState =
  | { status: 'restoring' }
  /** `notice`: why the person is signed out when they did not ask to be (sign-in expired, server unreachable); `noticeText` says it. */
  | { status: 'signed-out'; notice: AuthNotice | null }
  | { status: 'signed-in'; session: Session };

/** What the store needs from the server. */
export interface AuthTransport {
  signIn(username: string, password: string): Promise<TokenResponse>;
  refresh(): Promise<TokenResponse>;
  signOut(token: string | null): Promise<void>;
  /** False when this browser surely holds no sign-in (no hint cookie): nothing to restore, nothing to ask. */
  maySignedIn?(): boolean;
  /** Forgets the hint of a sign-in the server no longer knows. */
  forgetSignIn?(): void;
}

export const httpAuthTransport: AuthTransport = {
  signIn: (username, password) => requestRoute('auth.signIn', { body: { username, password } }),
  refresh: () => requestRoute('auth.refresh', {}),
  // Public, but with the token: the server ends the sign-in it names.
  signOut: (token) => requestRoute('auth.signOut', {}, { token }),
  maySignedIn: () => document.cookie.split(';').some((c) => c.trim().startsWith(`${SIGNED_IN_HINT_COOKIE}=`)),
  forgetSignIn: () => {
    document.cookie = `${SIGNED_IN_HINT_COOKIE}=; Max-Age=0; Path=/; SameSite=Strict`;
  },
};

/** Public: what the sign-in screen offers before anyone signs in (demo accounts in demo mode). */
export function fetchAuthOptions(signal: AbortSignal) {
  return requestRoute('auth.options', {}, { signal });
}

/** Refresh a minute before the token runs out, or after three quarters of its life when that is shorter. */
export function refreshDelayMs(expiresInSeconds: number): number {
  const life = Math.max(0, expiresInSeconds) * 1000;
  return Math.max(1000, life - Math.min(60_000, life / 4));
}

/** After a refresh the server did not answer, try again this soon (the token may still be valid). */
export const REFRESH_RETRY_MS = 10_000;

/** Why a person was signed out without asking; a code, so the sign-in page says it in the language shown. */
export type AuthNotice = 'expired' | 'unreachable';
export const EXPIRED_NOTICE: AuthNotice = 'expired';
export const UNREACHABLE_NOTICE: AuthNotice = 'unreachable';

/** `expired` → "Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại." in the current language. */
export function noticeText(notice: AuthNotice): string {
  return t(`notice.${notice}`, { ns: 'auth' });
}

function sameUser(a: SessionUser, b: SessionUser): boolean {
  return a.id === b.id && a.role === b.role && a.scope === b.scope && a.displayName === b.displayName && a.scopeName === b.scopeName;
}

export class AuthStore {
  private state: AuthState = { status: 'restoring' };
  private token: string | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private refreshing: Promise<string | null> | null = null;
  private sessions = 0;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly transport: AuthTransport) {}

  readonly getState = (): AuthState => this.state;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  accessToken(): string | null {
    return this.token;
  }

  /** The current sign-in's key, null when signed out. */
  sessionKey(): number | null {
    return this.state.status === 'signed-in' ? this.state.session.key : null;
  }

  /** At page load: the refresh cookie, if any, still names an open sign-in. */
  async restore(): Promise<void> {
    if (this.transport.maySignedIn?.() === false) {
      if (this.state.status === 'restoring') this.set({ status: 'signed-out', notice: null });
      return;
    }
    try {
      const res = await this.transport.refresh();
      if (this.state.status === 'restoring') this.accept(res);
    } catch (e) {
      if (errorCodeOf(e) === 'UNAUTHORIZED') this.transport.forgetSignIn?.();
      if (this.state.status !== 'restoring') return;
      this.set({ status: 'signed-out', notice: errorCodeOf(e) === 'UNAUTHORIZED' ? null : UNREACHABLE_NOTICE });
    }
  }

  /** Rejects with the server's refusal (an ApiRequestError) for the page to explain. */
  async signIn(username: string, password: string): Promise<void> {
    this.accept(await this.transport.signIn(username, password));
  }

  /**
   * A new access token for the current sign-in, shared by every caller while one is on its way.
   * Null when there is none: the sign-in ended (the state is then signed out) or the server did not answer.
   */
  refresh(): Promise<string | null> {
    this.refreshing ??= this.refreshNow().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** Rejects when the server could not be told: the sign-in then still holds, and the person stays signed in. */
  async signOut(): Promise<void> {
    if (this.state.status !== 'signed-in') return;
    await this.transport.signOut(this.token);
    this.end(null);
  }

  private async refreshNow(): Promise<string | null> {
    const key = this.sessionKey();
    if (key === null) return null;
    try {
      const res = await this.transport.refresh();
      if (this.sessionKey() !== key) return null;
      this.accept(res);
      return this.token;
    } catch (e) {
      if (this.sessionKey() !== key) return null;
      if (errorCodeOf(e) === 'UNAUTHORIZED') {
        this.transport.forgetSignIn?.();
        this.end(EXPIRED_NOTICE);
      } else {
        this.schedule(REFRESH_RETRY_MS);
      }
      return null;
    }
  }

  private accept(res: TokenResponse): void {
    const current = this.state.status === 'signed-in' ? this.state.session : null;
    const same = current !== null && sameUser(current.user, res.user);
    const person = same ? current.person : this.personOf(res.user);
    this.token = res.accessToken;
    this.schedule(refreshDelayMs(res.expiresIn));
    // A refresh of the same person changes nothing on screen; a new role or scope is a new session.
    if (!same) this.set({ status: 'signed-in', session: { key: ++this.sessions, user: res.user, person } });
  }

  private personOf(user: SessionUser): Person {
    const scope = unitRefOf(user.scope, user.provinceCode);
    if (!scope) throw new Error(`the server named an unknown scope: ${user.scope}`);
    return { role: user.role, scope };
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), ms);
  }

  private end(notice: AuthNotice | null): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.token = null;
    this.set({ status: 'signed-out', notice });
  }

  private set(state: AuthState): void {
    this.state = state;
    for (const l of this.listeners) l();
  }
}

/** The page's one sign-in. */
export const auth = new AuthStore(httpAuthTransport);
