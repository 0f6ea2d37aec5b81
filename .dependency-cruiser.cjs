// The dependency rule of docs/architecture.md, checked by `npm run lint`.
// Infrastructure: the shared modules at the top of server/ and the folders db, security, plugins.
const INFRASTRUCTURE =
  '^server/(db|security|plugins)/|^server/(?!app\\.ts$|main\\.ts$)[^/]+\\.(ts|mjs)$';
// Everything else in a folder of server/ is a feature (cli and demo are entry points on top).
const FEATURE = '^server/(?!db/|security/|plugins/)[^/]+/';

module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycles',
      comment:
        'Features depend downward only: no two folders of server/ may import each other, directly or through others.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^server/' },
      to: { circular: true },
    },
    {
      name: 'no-file-cycles',
      comment: 'No import cycle between files either.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'infrastructure-imports-no-feature',
      comment:
        'config, db, security, plugins and the other shared modules know no feature; features plug into them (decorators, addPageLocals).',
      severity: 'error',
      from: { path: INFRASTRUCTURE },
      to: { path: FEATURE },
    },
    {
      name: 'no-cross-folder-routes',
      comment:
        "A folder's routes.ts is its entry point for app.ts only; shared code lives beside it.",
      severity: 'error',
      from: { path: '^server/([^/]+)/', pathNot: '^server/(app|main)\\.ts$' },
      to: { path: '^server/[^/]+/[^/]*routes\\.ts$', pathNot: '^server/$1/' },
    },
    {
      name: 'migrations-stand-alone',
      comment:
        'A migration sees the schema as it was when written: it imports nothing from server/ (copy what it needs, frozen).',
      severity: 'error',
      from: { path: '^migrations/' },
      to: { path: '^server/' },
    },
    {
      name: 'server-imports-no-tests-or-bench',
      severity: 'error',
      from: { path: '^server/' },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|data|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs'] },
  },
};
