// Every kind of audit record the service writes. Closed, so that a dashboard query or an
// `?kind=` search names a kind that exists, and a new decision adds its kind here first.

/**
 * Row decisions of a sync, a webhook effect or an API change (unlinking detaches), one per row
 * written (reconcile/sync/apply-row-plans.ts).
 */
export type RowDecisionSource = 'sync' | 'oauth_sync' | 'webhook' | 'api';

export type AuditKind =
  | `${RowDecisionSource}.decision`
  | 'sync.installation'
  | 'sync.oauth'
  | 'sync.preserved_field'
  | 'rebind.applied'
  | 'rebind.skipped'
  | 'webhook.installation'
  | 'routing.decision'
  | 'routing.outcome'
  | 'delivery.outcome'
  | 'delivery.replayed'
  | 'redelivery.requested'
  | 'installation.metadata_refreshed'
  | 'installation.linked'
  | 'installation.unlinked'
  | 'user.put'
  | 'automation.put'
  | 'automation.deleted'
  | 'trigger.put'
  | 'trigger.deleted'
  | 'repo.subproject_created'
  | 'endpoint.put'
  | 'endpoint.deleted'
  | 'endpoint.requeued'
  | 'audit.pruned'
  // One kind per periodic job, named by the job (periodic/periodic-work.ts): the job list is
  // the caller's, so this one family is open by name.
  | `periodic.${string}`;
