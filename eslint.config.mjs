import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** typescript-eslint's recommended type-checked rules over the server and its tools; `npm run lint`, part of `npm test`. */
export default tseslint.config(
  { ignores: ['dist/**', 'dist-bench/**', 'dist-tools/**', 'frontend/**', 'tests/**', 'bench/**', 'coverage/**', '*.cjs', '*.mjs', '*.js', 'tools/**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Overridable hooks (CrudService.beforeCreate and the like) keep an async signature that subclasses await in.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
);
