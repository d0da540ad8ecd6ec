// The web code's lint rules: typescript-eslint's recommended set with type
// information, over the two pages, their scripts and the browser tests.
// Rules relaxed on purpose are listed (and why) in docs/web.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // the browser tests run half in Node, half in the page: they are left to their own checks
  { ignores: ['dist/', 'node_modules/', 'e2e/', 'e2e-artifacts/', 'src/lib/api-types.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    files: ['src/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // event handlers are async on purpose: h() attaches them and each shows its own failure
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      // `ok && go(...)` and `cond ? a() : b()` as statements are the house style
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }],
      // each page declares its message keys as `interface MessageKeys extends Record<...> {}`
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js', 'vite.config.ts'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly', fetch: 'readonly' } },
  },
);
