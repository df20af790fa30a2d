// @ts-check
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import js from '@eslint/js';
import globals from 'globals';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/**
 * The modules (folders) of server/src in layers, bottom first. A module imports
 * only modules of lower layers, never one of its own layer or above, so modules
 * cannot import each other in a cycle. A new folder must be given a layer here.
 * The files directly in server/src (main, app.module, app.factory) compose the
 * application: they import anything and nothing imports them. ARCHITECTURE.md
 * ("Which way dependencies point") explains the order.
 */
const SERVER_LAYERS = [
  ['config', 'database', 'relay'],
  ['common'],
  ['metrics'],
  ['units', 'audit'],
  ['auth'],
  ['ingest'],
  ['projection'],
  ['feedback', 'import'],
  ['kpi'],
  ['dossiers', 'alerts', 'connectivity', 'readiness', 'client-config'],
  ['notifications', 'live'],
  ['reports'],
  ['demo'],
  ['health', 'cli'],
];

/**
 * Imports that still point down-to-up, one file to one file (paths under
 * server/src). Each is a cycle left to cut; delete its line when it is cut.
 * None today.
 * @type {Record<string, string[]>}
 */
const UPWARD_IMPORTS_TO_CUT = {};

const SERVER_SRC = 'server/src';
const serverEntries = readdirSync(new URL(SERVER_SRC, import.meta.url), { withFileTypes: true });
const serverRootFiles = serverEntries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => `${SERVER_SRC}/${e.name}`);
for (const e of serverEntries) {
  if (e.isDirectory() && !SERVER_LAYERS.flat().includes(e.name)) throw new Error(`eslint.config.js: ${SERVER_SRC}/${e.name} has no layer in SERVER_LAYERS`);
}
// An exception whose import is gone is deleted rather than left to let a new one through.
for (const [file, targets] of Object.entries(UPWARD_IMPORTS_TO_CUT)) {
  const source = readFileSync(new URL(`${SERVER_SRC}/${file}`, import.meta.url), 'utf8');
  for (const t of targets) {
    const specifier = path.posix.relative(path.posix.dirname(file), t).replace(/\.ts$/, '.js');
    if (!source.includes(`'${specifier}'`)) throw new Error(`eslint.config.js: ${file} no longer imports ${t}: delete it from UPWARD_IMPORTS_TO_CUT`);
  }
}

/**
 * Zones of import-x/no-restricted-paths for the files `target` of module `name`:
 * one per module it may not import (its own layer and above) and one for the
 * application's root files. `allowed` lists files it may import all the same.
 */
function layerZones(name, target, allowed = []) {
  const layer = SERVER_LAYERS.findIndex((l) => l.includes(name));
  const forbidden = SERVER_LAYERS.slice(layer)
    .flat()
    .filter((m) => m !== name);
  const zones = forbidden.map((m) => ({
    target,
    from: `${SERVER_SRC}/${m}`,
    except: allowed.filter((f) => f.startsWith(`${m}/`)).map((f) => `./${f.slice(m.length + 1)}`),
    message: `server/src/${name} (layer ${layer}) may import only modules of lower layers, and ${m} is not one: see SERVER_LAYERS in eslint.config.js.`,
  }));
  if (serverRootFiles.length > 0) zones.push({ target, from: serverRootFiles, except: [], message: 'No module imports the application root (main, app.module, app.factory).' });
  return zones;
}

const serverLayerRule = (zones) => ({ 'import-x/no-restricted-paths': ['error', { basePath: import.meta.dirname, zones }] });

export default tseslint.config(
  { ignores: ['**/dist/**', '**/dist-bench/**', '**/node_modules/**', '**/coverage/**', 'dashboard/public/**', '.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Indexed reads are asserted where they are made (`rows[i]!`), as noUncheckedIndexedAccess would ask.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // `_`-prefixed names are deliberately unused (a destructured field left out, a callback's unused argument).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Module layering of the server (SERVER_LAYERS above).
    files: [`${SERVER_SRC}/**/*.ts`],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'server/tsconfig.json' })] },
    rules: {
      ...serverLayerRule(SERVER_LAYERS.flat().flatMap((m) => layerZones(m, `${SERVER_SRC}/${m}`))),
      // A relative import the resolver cannot follow would escape the layering silently.
      'import-x/no-unresolved': ['error', { ignore: ['^[^.]'] }],
    },
  },
  // The files that keep an upward import: their own zones, with those imports let through.
  ...Object.entries(UPWARD_IMPORTS_TO_CUT).map(([file, allowed]) => ({
    files: [`${SERVER_SRC}/${file}`],
    rules: serverLayerRule(layerZones(file.split('/')[0], `${SERVER_SRC}/${file}`, allowed)),
  })),
  {
    files: ['dashboard/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    // Tests read HTTP answers (supertest's `body`) and socket payloads, which are untyped: they assert on them instead.
    files: ['**/test/**/*.ts', '**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Test doubles implement async interfaces without awaiting anything; cells of a spreadsheet are printed as they come.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: globals.node },
  },
);
