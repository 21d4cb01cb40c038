// Organizations' and teams' billing managers, and the invitations that make them (issue 8): services over the
// ledger, used by the API and the invitation activities. The invitation's lifecycle is its workflow's.
export { billingManagerInvitations, type BillingManagerInvitations, type InvitationServiceDeps } from './billing-manager-invitations';
export { grantBillingManager, organizationBillingManagers, type OrganizationBillingManager, type OrganizationBillingManagers } from './billing-managers';
export { billingNoticeRecipients, type BillingNoticeRecipient } from './notice-recipients';
export { InvitationRefusal, type InvitationRefusalCode } from './errors';
export type { Invitation } from './invitation-rows';
