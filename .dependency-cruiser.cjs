// The import rules of the layout in the README ("Layout"): layers import downward only,
//   domain → ledger → activities, payments, webhooks, email → workflows (domain + activity types) → api → portal.
// `npm run lint` runs them (depcruise src --config .dependency-cruiser.cjs); test/unit/import-rules.test.ts shows a
// broken rule fails the check.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'The billing rules import nothing but themselves and zod: no database, no Temporal, no I/O.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { pathNot: ['^src/domain/', '^node_modules/zod/'] },
    },
    {
      name: 'ledger-knows-no-temporal-or-http',
      comment: 'The ledger is Postgres only: no Temporal, no HTTP, and nothing from the layers above it.',
      severity: 'error',
      from: { path: '^src/ledger/' },
      to: {
        path: [
          '^node_modules/@temporalio/',
          '^node_modules/(express|express-rate-limit|supertest|stripe)/',
          '^src/(activities|workflows|api|portal|simulation|webhooks|payments|credits|invitations|infra|observability|billing-details)/',
          '^src/(main|worker|temporal-logger)\\.ts$',
        ],
      },
    },
    {
      name: 'workflows-import-domain-and-activity-types',
      comment: 'Workflow code replays: it imports the domain, workflow code and, by type only, the activities.',
      severity: 'error',
      from: { path: '^src/workflows/' },
      to: {
        pathNot: ['^src/domain/', '^src/workflows/', '^node_modules/@temporalio/(workflow|common)/'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'workflows-import-no-layer-above',
      comment: 'Not even types from the API, the portal, the ledger or the providers: a workflow sees activity types only.',
      severity: 'error',
      from: { path: '^src/workflows/' },
      to: { path: '^src/(api|portal|ledger|payments|webhooks|email|credits|invitations|simulation|infra)/' },
    },
    {
      name: 'nothing-imports-api-or-portal-from-below',
      comment: 'The API and the portal are the top: nothing below reaches up into them.',
      severity: 'error',
      from: { pathNot: '^src/(api|portal|simulation)/|^src/main\\.ts$' },
      to: { path: '^src/(api|portal)/' },
    },
    {
      name: 'portal-uses-the-api-client-only',
      comment: 'The portal talks to the API over HTTP through its client module, not through API internals.',
      severity: 'error',
      from: { path: '^src/portal/' },
      to: { path: '^src/api/' },
    },
    {
      name: 'no-cycles',
      comment: 'No import cycle, except one made of type-only imports (activity inputs ↔ workflow messages).',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, via: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    combinedDependencies: false,
  },
};
