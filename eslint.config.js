import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import globals from 'globals';

// Node built-ins by bare name too (`fs`, `net`…), so `import 'fs'` cannot sneak past the `node:` rule.
const nodeBuiltins = [
  'fs',
  'path',
  'net',
  'tls',
  'dgram',
  'http',
  'https',
  'os',
  'child_process',
  'crypto',
  'events',
  'stream',
  'url',
  'util',
  'worker_threads',
  'process',
];

const browserOnly = {
  'no-restricted-imports': [
    'error',
    {
      paths: [
        {
          name: 'electron',
          message:
            'The renderer and shared/ must not import electron: go through the contract (window.api / WebSocket).',
        },
        ...nodeBuiltins.map((name) => ({
          name,
          message: 'Node built-ins are not available to the renderer or shared/.',
        })),
      ],
      patterns: [{ group: ['node:*'], message: 'Node built-ins are not available to the renderer or shared/.' }],
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'coverage/**',
      'patches/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
    },
  },
  {
    files: ['renderer/**/*.{ts,vue}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: browserOnly,
  },
  {
    files: ['shared/**/*.ts'],
    rules: browserOnly,
  },
  {
    // Issue 17: a service is a thin map from its contract to small modules, not a 190-line closure.
    files: ['electron/services/**/*.ts', 'electron/core/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }] },
  },
);
