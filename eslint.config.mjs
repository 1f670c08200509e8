import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import stylistic from '@stylistic/eslint-plugin';

/**
 * The naming convention of the code base. Names are camelCase; types, classes, enums and decorators PascalCase;
 * module-level constants may be UPPER_CASE. snake_case is the wire and SQL form (REST bodies, query rows), so object
 * literal and type properties and destructured names may use it. GraphQL AST visitors are keyed by node kind
 * (`Field`, `StringValue`). A leading underscore marks what is deliberately unused (`_info`, `{ a: _a, ...rest }`).
 * Names that need quotes (`'content-type'`) are left as they are.
 */
const namingConvention = [
  'error',
  { selector: 'default', format: ['camelCase'], leadingUnderscore: 'allow' },
  { selector: 'import', format: ['camelCase', 'PascalCase'] },
  { selector: 'variable', format: ['camelCase', 'PascalCase', 'UPPER_CASE'], leadingUnderscore: 'allow' },
  {
    selector: 'variable',
    modifiers: ['destructured'],
    format: ['camelCase', 'PascalCase', 'UPPER_CASE', 'snake_case'],
    leadingUnderscore: 'allow',
  },
  { selector: 'function', format: ['camelCase', 'PascalCase'] },
  { selector: 'parameter', format: ['camelCase'], leadingUnderscore: 'allow' },
  { selector: 'parameter', modifiers: ['destructured'], format: ['camelCase', 'snake_case'] },
  { selector: 'typeLike', format: ['PascalCase'] },
  { selector: 'enumMember', format: ['camelCase', 'PascalCase', 'UPPER_CASE', 'snake_case'] },
  { selector: 'classProperty', modifiers: ['static', 'readonly'], format: ['camelCase', 'UPPER_CASE'] },
  {
    selector: ['objectLiteralProperty', 'typeProperty'],
    format: ['camelCase', 'PascalCase', 'UPPER_CASE', 'snake_case'],
    leadingUnderscore: 'allow',
  },
  { selector: 'objectLiteralMethod', format: ['camelCase', 'PascalCase'] },
  {
    selector: [
      'objectLiteralProperty',
      'objectLiteralMethod',
      'typeProperty',
      'typeMethod',
      'classProperty',
      'classMethod',
      'enumMember',
    ],
    modifiers: ['requiresQuotes'],
    format: null,
  },
];

/** Lines of at most 120 characters; a line longer only by a string, template or regex literal or a URL passes. */
const lineLength = [
  'error',
  { code: 120, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true },
];

/**
 * typescript-eslint's recommended type-checked rules over the server and its tools, and the line length over every
 * source file of the project (tests, bench, console, config files included); `npm run lint`, part of `npm test`.
 */
export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      'dist/**',
      'dist-bench/**',
      'dist-tools/**',
      'coverage/**',
      'frontend/dist/**',
      'frontend/src/gql/**',
      'frontend/src/generated/**',
      'tests/support/generated/**',
      'tools/**/*.js',
    ],
  },
  {
    files: ['src/**/*.ts', 'tools/**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Overridable hooks (CrudService.beforeCreate and the like) keep an async signature that subclasses await in.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/naming-convention': namingConvention,
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@stylistic': stylistic },
    rules: { '@stylistic/max-len': lineLength },
  },
);
