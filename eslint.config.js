// Lint: typescript-eslint's recommended rules, React hooks rules, and the layer rule (docs/layers.md):
// renderer → shared; electron/main, host, cli → stack → shared; the stack's own sub-layers; nothing
// imports renderer; stack never imports electron. Raw ipcMain/ipcRenderer only in the IPC wrapper and preload.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { layerImports } from './scripts/eslint-layer-rule.js';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'packages/*/dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'build-electron/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { bulkhead: { rules: { 'layer-imports': layerImports } } },
    rules: {
      'bulkhead/layer-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['electron/**/*.ts', 'e2e/**/*.ts', 'scripts/**/*.js', 'bin/**/*.js', 'resources/examples/**/*.{js,mjs}', '*.config.{js,ts}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ['**/*.{ts,tsx}'],
    ignores: ['electron/main/ipc/**', 'electron/preload/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', importNames: ['ipcMain', 'ipcRenderer'], message: 'Use the typed IPC wrapper in electron/main/ipc (main) or the preload.' },
          ],
        },
      ],
    },
  },
);
