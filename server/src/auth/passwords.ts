import { hash, verify } from '@node-rs/argon2';
import { MIN_PASSWORD_LENGTH } from '@ioc/shared';

/** argon2id with the library's defaults (19 MiB, 2 passes): about 25 ms a hash on one core. */
export const hashPassword = (password: string): Promise<string> => hash(password);

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | null = null;
/** Spends the time of a real check, so an unknown username answers as slowly as a wrong password. */
export async function verifyNothing(password: string): Promise<false> {
  dummy ??= hash('not-a-password-of-anyone');
  await verifyPassword(await dummy, password);
  return false;
}

/** Why a new password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, username: string): string | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return `the password must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > 200) return 'the password must be at most 200 characters';
  if (password.toLowerCase().includes(username.toLowerCase())) return 'the password must not contain the username';
  if (new Set(password).size < 4) return 'the password is too repetitive';
  return null;
}
