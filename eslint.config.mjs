import nx from '@nx/eslint-plugin';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

// Layers: an app may use every lib but no other app; libs never import apps; contracts import
// nothing of ours; the testing lib is for spec files only. The SmartFocus client has a scope of
// its own: only smartfocus-dispatch, metrics-collector and the contract tests may import it.
const depConstraints = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:contracts', 'type:util', 'type:data-access', 'type:runtime'] },
  { sourceTag: 'type:runtime', onlyDependOnLibsWithTags: ['type:contracts', 'type:util', 'type:data-access'] },
  { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:contracts', 'type:util', 'type:data-access'] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:contracts', 'type:util', 'type:data-access', 'type:runtime'] },
  // A client of a running stack over its HTTP APIs (libs/nightly-cycle: the demo, the end-to-end test, a benchmark).
  { sourceTag: 'type:client', onlyDependOnLibsWithTags: ['type:contracts', 'type:util'] },
  // Cross-lib integration suites (tests/): everything but apps.
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:contracts', 'type:util', 'type:data-access', 'type:runtime', 'type:testing', 'type:client'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:smartfocus-client', onlyDependOnLibsWithTags: ['scope:shared', 'scope:smartfocus-client'] },
  { sourceTag: 'scope:profile-import', onlyDependOnLibsWithTags: ['scope:shared', 'scope:profile-import'] },
  { sourceTag: 'scope:segmentation', onlyDependOnLibsWithTags: ['scope:shared', 'scope:segmentation'] },
  { sourceTag: 'scope:smartfocus-dispatch', onlyDependOnLibsWithTags: ['scope:shared', 'scope:smartfocus-dispatch', 'scope:smartfocus-client'] },
  { sourceTag: 'scope:metrics-collector', onlyDependOnLibsWithTags: ['scope:shared', 'scope:metrics-collector', 'scope:smartfocus-client'] },
  { sourceTag: 'scope:smartfocus-simulator', onlyDependOnLibsWithTags: ['scope:shared', 'scope:smartfocus-simulator'] },
  { sourceTag: 'scope:smartfocus-contract', onlyDependOnLibsWithTags: ['scope:shared', 'scope:smartfocus-client'] },
  { sourceTag: 'scope:console', onlyDependOnLibsWithTags: ['scope:shared', 'scope:console'] },
];

const withTesting = depConstraints.map((constraint) =>
  constraint.sourceTag.startsWith('type:') && constraint.sourceTag !== 'type:contracts'
    ? { ...constraint, onlyDependOnLibsWithTags: [...constraint.onlyDependOnLibsWithTags, 'type:testing'] }
    : constraint,
);

export default tseslint.config(
  { ignores: ['**/dist', '**/node_modules', '**/coverage', '**/.nx', '**/*.js', '**/*.cjs', '**/*.mjs'] },
  ...nx.configs['flat/base'],
  ...tseslint.configs.recommendedTypeChecked,
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: false, allow: [], depConstraints }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-definitions': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'Read the environment only through a config class (libs/config).' },
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
      ],
    },
  },
  {
    // Specs may use the testing lib and poke at internals.
    files: ['**/*.spec.ts', '**/*.spec.tsx', '**/*.int-spec.ts', 'apps/*/test/**/*.ts', 'tests/*/src/**/*.ts', 'libs/testing/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: false, allow: [], depConstraints: withTesting }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
      'no-restricted-syntax': 'off',
    },
  },
  {
    // The console's browser app: React's rules of hooks.
    files: ['apps/console/web/**/*.tsx', 'apps/console/web/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    // The one place that reads the environment.
    files: ['libs/config/src/load-config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
