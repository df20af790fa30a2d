import type { BrowserContext, Page } from 'playwright-core';

export type Language = 'vi' | 'en';

/** The sign-in screen's words, and the signed-in page's sign-out button, in each language of the dashboard. */
export const SIGN_IN_WORDS = {
  vi: { username: 'Tên đăng nhập', password: 'Mật khẩu', submit: 'Đăng nhập', signOut: 'Đăng xuất' },
  en: { username: 'Username', password: 'Password', submit: 'Sign in', signOut: 'Sign out' },
} as const satisfies Record<Language, Record<string, string>>;

/** Who signs in: a test account, whose password is `<username>-password` unless it names one. */
export interface Credentials {
  username: string;
  password?: string;
}

export const passwordOf = (a: Credentials): string => a.password ?? `${a.username}-password`;

export interface FillOptions {
  /** The language the sign-in screen is in (Vietnamese by default). */
  language?: Language;
  /** How the form is sent: Enter in the password field (by default), a click or a tap on the submit button. */
  submit?: 'enter' | 'click' | 'tap';
}

/** Fills the sign-in screen's form with `account`'s username and password and sends it; waits for nothing. */
export async function submitSignIn(page: Page, account: Credentials, { language = 'vi', submit = 'enter' }: FillOptions = {}): Promise<void> {
  const words = SIGN_IN_WORDS[language];
  await page.getByLabel(words.username).fill(account.username);
  await page.getByLabel(words.password).fill(passwordOf(account));
  if (submit === 'enter') await page.getByLabel(words.password).press('Enter');
  else if (submit === 'click') await page.getByRole('button', { name: words.submit, exact: true }).click();
  else await page.getByRole('button', { name: words.submit, exact: true }).tap();
}

/** Waits until the signed-in page shows its sign-out button. */
export async function waitSignedIn(page: Page, language: Language = 'vi'): Promise<void> {
  await page.getByRole('button', { name: SIGN_IN_WORDS[language].signOut }).first().waitFor({ timeout: 20_000 });
}

export interface SignInOptions {
  /** The browser profile whose cookies are cleared first: its pages share the refresh cookie, so this starts signed out. */
  signOut?: BrowserContext;
  /** The dashboard's language, stored before the form is filled; without it the page keeps what the browser has. */
  language?: Language;
}

/** Opens the dashboard at `base`, signs `account` in through the sign-in screen, and waits for the signed-in page. */
export async function signIn(page: Page, base: string, account: Credentials, { signOut, language }: SignInOptions = {}): Promise<void> {
  if (signOut) await signOut.clearCookies();
  await page.goto(base);
  if (language) {
    await page.evaluate(`localStorage.setItem('ioc.language', '${language}')`);
    await page.reload();
  }
  await submitSignIn(page, account, { language });
  await waitSignedIn(page, language);
}
