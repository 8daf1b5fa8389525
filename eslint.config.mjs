import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

export default [
  { ignores: ['**/dist/**', '**/node_modules/**', '**/*.js', '**/*.mjs', '.nx/**', 'reports/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Services talk over NATS only; sandboxes are test doubles that production code never sees.
      '@nx/enforce-module-boundaries': ['error', {
        allow: [],
        depConstraints: [
          { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
          { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:lib'] },
          { sourceTag: 'type:sandbox', onlyDependOnLibsWithTags: ['type:lib', 'type:sandbox'] },
          { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:lib', 'type:sandbox', 'type:e2e'] },
        ],
      }],
    },
  },
  {
    files: ['services/**/*.ts', 'libs/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/sandboxes/**', '@junction/sandbox-*'], message: 'Production code never imports a vendor sandbox.' },
        { group: ['../../services/**', '../../../services/**'], message: 'Services never import each other; share code through libs/.' },
      ] }],
    },
  },
];
