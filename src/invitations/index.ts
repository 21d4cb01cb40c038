// Organizations' and teams' billing managers, and the invitations that make them (issue 8): services over the
// ledger, used by the API and the invitation activities. The invitation's lifecycle is its workflow's.
export { billingManagerInvitations, type BillingManagerInvitations, type InvitationForInvitee, type InvitationServiceDeps } from './billing-manager-invitations';
export { grantBillingManager, organizationBillingManagers, type OrganizationBillingManager, type OrganizationBillingManagers } from '../ledger/invitations/billing-managers';
export { billingNoticeRecipients, type BillingNoticeRecipient } from '../ledger/invitations/notice-recipients';
export { InvitationRefusal, type InvitationRefusalCode } from '../ledger/invitations/errors';
export type { Invitation } from '../ledger/invitations/invitation-rows';
