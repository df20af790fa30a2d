import { describe, expect, it } from '@jest/globals';
import { LANGUAGES, type Language, i18n } from './index';

/**
 * Every namespace registered in `index.ts` has the same texts in every language,
 * so a text added in one language only fails here rather than showing the
 * fallback on screen.
 */

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

type Texts = { [key: string]: string | Texts };

/** Leaves of a nested text object as `a.b.c` → text. */
function leaves(texts: Texts, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, v] of Object.entries(texts)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'object' && v !== null) for (const [kk, vv] of leaves(v, key)) out.set(kk, vv);
    else out.set(key, v);
  }
  return out;
}

/** A key without its plural form: `wait.seconds_one` → `wait.seconds`. */
const baseKey = (key: string) => key.replace(PLURAL_SUFFIX, '');

const variablesOf = (text: string) => [...text.matchAll(/\{\{\s*([\w.]+)/g)].map((m) => m[1]);

interface Catalogue {
  keys: string[];
  /** Interpolated variables of each key, over all its plural forms. */
  variables: Record<string, string[]>;
  /** Plural forms present for each plural key. */
  plurals: Record<string, string[]>;
  texts: Map<string, unknown>;
}

function catalogueOf(lang: Language, ns: string): Catalogue {
  const texts = leaves((i18n.getResourceBundle(lang, ns) ?? {}) as Texts);
  const variables: Record<string, Set<string>> = {};
  const plurals: Record<string, string[]> = {};
  for (const [key, text] of texts) {
    const base = baseKey(key);
    const set = (variables[base] ??= new Set());
    if (typeof text === 'string') for (const v of variablesOf(text)) set.add(v!);
    const form = PLURAL_SUFFIX.exec(key)?.[1];
    if (form) (plurals[base] ??= []).push(form);
  }
  return {
    keys: [...new Set([...texts.keys()].map(baseKey))].sort(),
    variables: Object.fromEntries(Object.entries(variables).map(([k, s]) => [k, [...s].sort()])),
    plurals,
    texts,
  };
}

const namespaces = [...(i18n.options.ns as readonly string[])];

describe('the texts of every language', () => {
  it('cover the six features at least', () => {
    expect(namespaces).toEqual(expect.arrayContaining(['common', 'auth', 'overview', 'map', 'operations', 'commune']));
  });

  describe.each(namespaces)('namespace %s', (ns) => {
    const vi = catalogueOf('vi', ns);

    it.each(LANGUAGES.filter((l) => l !== 'vi'))('has the same keys in %s as in Vietnamese', (lang) => {
      const other = catalogueOf(lang, ns);
      const missing = vi.keys.filter((k) => !other.keys.includes(k));
      const extra = other.keys.filter((k) => !vi.keys.includes(k));
      expect({ missing, extra }).toEqual({ missing: [], extra: [] });
    });

    it.each(LANGUAGES.filter((l) => l !== 'vi'))('uses the same variables in %s as in Vietnamese', (lang) => {
      expect(catalogueOf(lang, ns).variables).toEqual(vi.variables);
    });

    it.each([...LANGUAGES])('has a non-empty text for every key in %s', (lang) => {
      const empty = [...catalogueOf(lang, ns).texts].filter(([, text]) => typeof text !== 'string' || text.trim() === '').map(([k]) => k);
      expect(empty).toEqual([]);
    });

    it.each([...LANGUAGES])('has every plural form %s needs', (lang) => {
      const needed = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
      const { plurals } = catalogueOf(lang, ns);
      const short = Object.entries(plurals)
        .filter(([, forms]) => needed.some((f) => !forms.includes(f)))
        .map(([k]) => k);
      expect(short).toEqual([]);
    });
  });
});
