// Who is looking at the portal, and what section 11 lets them see there.
import { can, type BillingAction, type Role } from '../domain';

export interface Viewer {
  teamId: string;
  teamName: string;
  userName: string;
  /** Read from the API on every request, so a removed billing manager loses the page at once. */
  roles: Role[];
  expiresAt: Date;
  returnUrl: string | null;
}

export const may = (viewer: Viewer, action: BillingAction): boolean => can(viewer.roles, action);

const ROLE_NAMES: Record<Role, string> = { owner: 'Owner', admin: 'Admin', billing_manager: 'Billing manager', member: 'Member', visitor: 'Visitor' };
export const roleNames = (roles: readonly Role[]): string => roles.map((role) => ROLE_NAMES[role]).join(' and ');

export interface Section {
  path: string;
  label: string;
  action: BillingAction;
}

/** The portal's pages, each shown only to a viewer allowed its action. */
export const SECTIONS: readonly Section[] = [
  { path: '/portal/', label: 'Plan', action: 'view_billing' },
  { path: '/portal/invoices', label: 'Invoices', action: 'view_billing' },
  { path: '/portal/payment-methods', label: 'Payment methods', action: 'manage_payment_methods' },
  { path: '/portal/billing-details', label: 'Billing details', action: 'manage_payment_methods' },
  { path: '/portal/credits', label: 'Credits', action: 'view_billing' },
  { path: '/portal/billing-managers', label: 'Billing managers', action: 'manage_billing_managers' },
];
