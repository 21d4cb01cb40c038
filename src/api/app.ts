import express, { Router, type Express, type Request } from 'express';
import swaggerUi from 'swagger-ui-express';
import { serviceToken } from '../infra/service-token';
import { createPaymentProvider } from '../payments';
import { createStripeClient } from '../payments/stripe-client';
import { apiContext, type ApiContext, type ApiDeps } from './context';
import { healthRoutes } from './health';
import { ledgerReads } from './ledger-reads';
import { authenticate } from './middleware/auth';
import { perTokenRateLimit, requestDeadline } from './middleware/limits';
import { metricsEndpoint } from './middleware/metrics-endpoint';
import { requestContext } from './middleware/request-context';
import { metrics } from '../observability/metrics';
import { openApiDocument } from './openapi';
import { notFound, problemHandler } from './problem';
import { billingDetailsRoutes } from './routes/billing-details';
import { billingHistoryRoutes } from './routes/billing-history';
import { billingManagerRoutes } from './routes/billing-managers';
import { invitationRoutes } from './routes/invitations';
import { portalSessionRoutes } from './routes/portal-sessions';
import { portalRoutes } from '../portal/routes';
import { memberRoutes } from './routes/members';
import { organizationRoutes } from './routes/organizations';
import { paymentMethodRoutes } from './routes/payment-methods';
import { apiCreditRoutes } from './routes/api-credits';
import { creditRoutes } from './routes/credits';
import { refundRoutes } from './routes/refunds';
import { pricingRoutes } from './routes/pricing';
import { simulationRoutes } from './routes/simulations';
import { stripeWebhookRoutes } from './routes/stripe-webhooks';
import { subscriptionRoutes } from './routes/subscription';
import { seatRoutes } from './routes/seats';
import { teamRoutes } from './routes/teams';
import { userRoutes } from './routes/users';
import { webhookEndpointRoutes } from './routes/webhook-endpoints';
import { entitlementRoutes } from './routes/entitlements';
import { exportRoutes } from './routes/exports';
import { teamWorkflows } from './team-workflows';
import { subscriptionReader } from './subscription-views';
import { billingManagerInvitations } from '../invitations';

export type { ApiDeps } from './context';

/** The HTTP API, built from the clients it is given: no globals, so tests build it on their own servers. */
export function createApi(deps: ApiDeps): Express & { locals: { api: ApiContext } } {
  const { config, db } = deps;
  const ctx = apiContext({
    ...deps,
    serviceToken: deps.serviceToken ?? serviceToken(config.DATA_DIR, config.BILLING_SERVICE_TOKEN).token,
    payments: deps.payments ?? createPaymentProvider(config, db),
    stripe: deps.stripe !== undefined ? deps.stripe : config.STRIPE_SECRET_KEY ? createStripeClient({ secretKey: config.STRIPE_SECRET_KEY }) : null,
  });
  const workflows = teamWorkflows(deps.temporal, config.TASK_QUEUE, { db, logger: deps.logger });
  const subscription = subscriptionReader(db, workflows);
  const ui = config.TEMPORAL_UI_URL ? { url: config.TEMPORAL_UI_URL, namespace: config.TEMPORAL_NAMESPACE } : null;
  const ledger = ledgerReads(db, { temporalUi: ui });

  const v1 = Router();
  // A simulation has its own time limit, which stops its process; the deadline answers a little after it.
  const deadline = (req: Request) => (req.originalUrl.startsWith('/v1/simulations') ? config.SIMULATION_TIMEOUT_SECONDS + 10 : config.REQUEST_TIMEOUT_SECONDS);
  v1.use('/v1', requestDeadline(deadline), authenticate(ctx), perTokenRateLimit(config));
  for (const routes of [
    organizationRoutes(ctx),
    userRoutes(ctx),
    teamRoutes(ctx, workflows),
    memberRoutes(ctx, workflows),
    subscriptionRoutes(ctx, workflows, subscription),
    seatRoutes(ctx, workflows, subscription),
    paymentMethodRoutes(ctx, workflows),
    billingDetailsRoutes(ctx),
    billingHistoryRoutes(ctx, ledger),
    refundRoutes(ctx, ledger, workflows),
    pricingRoutes(ctx, workflows),
    creditRoutes(ctx),
    apiCreditRoutes(ctx),
    simulationRoutes(ctx),
    billingManagerRoutes(ctx),
    invitationRoutes(ctx, billingManagerInvitations({ db, temporal: deps.temporal, taskQueue: config.TASK_QUEUE, directory: ctx.directory })),
    portalSessionRoutes(ctx),
    webhookEndpointRoutes(ctx),
    entitlementRoutes(ctx, subscription),
    exportRoutes(ctx),
  ]) {
    v1.use(routes);
  }

  const app = express();
  app.disable('x-powered-by');
  app.locals.api = ctx;
  app.use(requestContext({ logger: deps.logger, metrics: metrics() }));
  app.use(healthRoutes(deps));
  app.get('/metrics', metricsEndpoint(metrics().registry, config.METRICS_TOKEN));
  // Before the JSON parser: the signature is over the raw bytes.
  app.use(stripeWebhookRoutes(ctx, workflows));
  app.use(express.json({ limit: '100kb' }));
  app.get('/openapi.json', (req, res) => {
    res.json(openApiDocument(`${req.protocol}://${req.get('host') ?? 'localhost'}`, ctx.operations));
  });
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(undefined, { swaggerOptions: { url: '/openapi.json' }, customSiteTitle: 'seatbill API' }));
  // The hosted billing portal: its pages and its calls, which reach /v1 as the session's user.
  app.use('/portal', portalRoutes(ctx));
  app.use(v1);
  app.use(notFound);
  app.use(problemHandler((error) => deps.logger.error({ err: error }, 'unhandled API error')));
  return app as Express & { locals: { api: ApiContext } };
}
