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
      name: 'documents-draw-from-the-domain',
      comment: 'Invoices and credit notes as a customer reads them: the API serves their PDFs and the portal shows them, so they import neither.',
      severity: 'error',
      from: { path: '^src/documents/' },
      to: { pathNot: ['^src/(domain|documents)/', '^node_modules/(@types/)?pdfkit/'] },
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
      comment:
        'The portal reads through the API over HTTP (its api-client.ts), not through API internals: it takes only the ' +
        'context it is mounted with and the problem+json shape it shows.',
      severity: 'error',
      from: { path: '^src/portal/' },
      to: { path: '^src/api/', pathNot: '^src/api/(context|problem)\\.ts$' },
    },
    {
      name: 'no-runtime-cycles',
      comment: 'No cycle of imports that run: one of them would load before the module it needs.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'cycles-only-between-activities-and-workflow-messages',
      comment:
        'The one cycle allowed: workflows import activity types and activities import workflow message types. ' +
        'A cycle through any other folder is a layer reaching up.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, via: { pathNot: '^src/(activities|workflows)/' } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    combinedDependencies: false,
  },
};
