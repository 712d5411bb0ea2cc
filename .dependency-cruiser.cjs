// Module boundaries (DESIGN.md: a module owns its tables; others call its exported service, never its repository).
// Run by `npm run lint`: depcruise src --config .dependency-cruiser.cjs
const FEATURES = [
  'audit',
  'auth',
  'cohorts',
  'competencies',
  'courses',
  'health',
  'home',
  'materials',
  'notifications',
  'organisations',
  'privacy',
  'reports',
  'users',
].join('|');

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle of imports makes the order of loading matter and the modules inseparable.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-other-features-tables',
      comment:
        'A feature reads another feature only through its module, exported service and public types (DTOs, ' +
        'types files), never its entities or repositories: the owner decides what its tables mean.',
      severity: 'error',
      // One exception: an entity may name another feature's entity in a relation. That relation is a foreign key
      // the schema has anyway (enrolments.trainee_id -> users), and TypeORM needs the class to keep it in the
      // generated migrations. Loading another feature's rows through such a relation is still crossing the
      // boundary; this rule cannot see it, so review must.
      from: { path: `^src/(${FEATURES})/`, pathNot: '[.]entity[.]ts$' },
      to: { path: `^src/(${FEATURES})/.+[.](entity|repository)[.]ts$`, pathNot: '^src/$1/' },
    },
    {
      name: 'no-features-in-foundations',
      comment:
        'common, config and database sit under every feature, so they import none of them. The data source finds ' +
        'entities by a file pattern (database/data-source-options.ts), so it needs no exception.',
      severity: 'error',
      from: { path: '^src/(common|config|database)/' },
      to: { path: `^src/(${FEATURES})/` },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a type taken from another feature's entity couples to its table all the same.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '[.]spec[.]ts$' },
  },
};
