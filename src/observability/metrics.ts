// The engine's Prometheus metrics. One set per registry: `npm start` serves the one process-wide set at the API's
// /metrics; the worker of the split Docker roles serves the same set on METRICS_PORT (metrics-server.ts).
import { Counter, Gauge, Histogram, register as defaultRegistry, type Registry } from 'prom-client';

export function createMetrics(registry: Registry) {
  const registers = [registry];
  return {
    registry,
    invoicesIssued: new Counter({
      name: 'seatbill_invoices_issued_total', help: 'Invoices written to the ledger, by reason', labelNames: ['reason'], registers,
    }),
    invoicedCents: new Counter({
      name: 'seatbill_invoiced_cents_total', help: 'Sum of the totals of the invoices written, in cents', labelNames: ['reason'], registers,
    }),
    invoicesClosedUnpaid: new Counter({
      name: 'seatbill_invoices_closed_unpaid_total', help: 'Invoices closed without payment (failed after dunning, or void)', labelNames: ['status'], registers,
    }),
    charges: new Counter({
      name: 'seatbill_charges_total', help: 'Charges of a payment method, by provider and outcome (succeeded | failed | rate_limited)', labelNames: ['provider', 'outcome'], registers,
    }),
    chargedCents: new Counter({
      name: 'seatbill_charged_cents_total', help: 'Cents asked of payment methods, by provider and outcome', labelNames: ['provider', 'outcome'], registers,
    }),
    httpDuration: new Histogram({
      name: 'seatbill_http_request_duration_seconds', help: 'API latency by route pattern (not raw path), method and status',
      labelNames: ['method', 'route', 'status'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers,
    }),
    workflowStarts: new Counter({
      name: 'seatbill_workflow_starts_total', help: 'Workflows started by this process, by type and outcome', labelNames: ['workflow_type', 'outcome'], registers,
    }),
    workflowUpdates: new Counter({
      name: 'seatbill_workflow_updates_total', help: 'Workflow updates sent by this process, by update name and outcome', labelNames: ['update', 'outcome'], registers,
    }),
    sweepDrift: new Counter({
      name: 'seatbill_sweep_drift_total', help: 'Teams whose workflow did not match the ledger, by kind, found by the renewal sweep', labelNames: ['kind'], registers,
    }),
    sweepRepairs: new Counter({
      name: 'seatbill_sweep_repairs_total', help: 'Team workflows the renewal sweep started again from the ledger', registers,
    }),
    sweepLastDrift: new Gauge({
      name: 'seatbill_sweep_last_drift', help: 'Teams out of line with the ledger in the last completed renewal sweep', registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

let processMetrics: Metrics | undefined;

/** The process-wide set on prom-client's default registry, created on first use; activities and the API count into it. */
export function metrics(): Metrics {
  if (!processMetrics) {
    processMetrics = createMetrics(defaultRegistry);
  }
  return processMetrics;
}
