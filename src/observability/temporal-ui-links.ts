/** Where the Temporal UI is, for links into a workflow run's history; null when no UI is known. */
export interface TemporalUi {
  url: string;
  namespace: string;
}

/** The run's event history in the Temporal UI: support reads there, step by step, why a customer was charged. */
export function workflowRunHistoryUrl(ui: TemporalUi, workflowId: string, runId: string): string {
  const base = ui.url.replace(/\/+$/, '');
  return `${base}/namespaces/${encodeURIComponent(ui.namespace)}/workflows/${encodeURIComponent(workflowId)}/${encodeURIComponent(runId)}/history`;
}
