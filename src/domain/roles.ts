// Roles and billing managers (section 11). The matrix is data; a user with
// several roles (e.g. member and billing manager) has the union of their rights.

export type Role = 'owner' | 'admin' | 'billing_manager' | 'member' | 'visitor';

export type BillingAction =
  | 'view_billing' // plan, usage, invoices, payment history
  | 'change_plan' // change plan, renew, add seats, change interval, cancel
  | 'manage_payment_methods'
  | 'request_invoice'
  | 'manage_billing_managers' // list / invite / remove
  | 'view_team' // member list, projects, settings
  | 'contribute_credits';

export const ROLES: readonly Role[] = ['owner', 'admin', 'billing_manager', 'member', 'visitor'];

export const PERMISSIONS: Readonly<Record<BillingAction, readonly Role[]>> = {
  view_billing: ['owner', 'admin', 'billing_manager'],
  change_plan: ['owner', 'admin', 'billing_manager'],
  manage_payment_methods: ['owner', 'admin', 'billing_manager'],
  request_invoice: ['owner', 'admin', 'billing_manager'],
  manage_billing_managers: ['owner', 'admin', 'billing_manager'],
  view_team: ['owner', 'admin', 'member', 'visitor'],
  contribute_credits: ['owner', 'admin', 'billing_manager', 'member', 'visitor'],
};

export function can(roles: readonly Role[], action: BillingAction): boolean {
  const allowed = PERMISSIONS[action];
  return roles.some((role) => allowed.includes(role));
}

/** Every member counts, visitors included; a billing manager only if also a member of the team. */
export function countsAsMember(roles: readonly Role[]): boolean {
  return roles.some((role) => role !== 'billing_manager');
}

/** Emails and in-product messages about subscription changes go to admins (and owners) and billing managers. */
export function receivesBillingNotices(roles: readonly Role[]): boolean {
  return roles.some((role) => role === 'owner' || role === 'admin' || role === 'billing_manager');
}
