// Type-aware linting at zero warnings: floating promises, exhaustive switches and strict equality are errors.
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'public/**',
      'storage/**',
      'stubs/**',
      '*.config.js',
      '.dependency-cruiser.cjs',
      'eslint.config.mjs',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  prettier,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/unbound-method': 'off',
      // Input rules live in src/common/validators.ts: there `null` is validated unless a field says it clears.
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'class-validator',
              importNames: ['IsOptional', 'IsDateString', 'IsISO8601'],
              message:
                'Use Omittable() or Nullable(), and IsRfc3339DateTime() or IsCalendarDate(), from src/common/validators.',
            },
            {
              name: '@nestjs/swagger',
              importNames: ['PartialType'],
              message:
                'Use OmittableFields() from src/common/validators, which validates null instead of skipping it.',
            },
            {
              name: 'class-transformer',
              importNames: ['Type'],
              message:
                'Use NumberFromText() for numbers; for nested DTOs import Type as NestedType from src/common/validators.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['migrations/**/*.ts'],
    rules: { quotes: 'off' },
  },
);
