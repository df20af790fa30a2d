import type { Namespace, ParseKeys } from 'i18next';
import { i18n } from './index';

/** Every key of a namespace (plural forms by their base key): what `t` accepts there. */
export type TextKey<Ns extends Namespace> = ParseKeys<Ns>;

/** The keys under a prefix, without it: `KeysUnder<'common', 'live'>` is `'live' | 'connecting' | …`. */
export type KeysUnder<Ns extends Namespace, Prefix extends string> = TextKey<Ns> extends infer K ? (K extends `${Prefix}.${infer Rest}` ? Rest : never) : never;

type LooseT = (key: string, options: Record<string, unknown>) => string;

/**
 * `t` of a namespace for a key chosen at run time among the catalogue's keys: the
 * key is checked by the compiler, the `{{values}}` of each text by
 * i18n/resources.spec.ts (every language has the same ones).
 */
export function textsOf<Ns extends Namespace & string>(ns: Ns): (key: TextKey<Ns>, values?: Record<string, unknown>) => string {
  return (key, values = {}) => (i18n.t as unknown as LooseT)(String(key), { ns, ...values });
}
