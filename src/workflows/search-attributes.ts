import { defineSearchAttributeKey } from '@temporalio/common';

/**
 * What operators filter teams by in the Temporal UI, e.g. `SubscriptionStatus = "past_due"`.
 * No personal data: search attribute values are not encrypted.
 */
export const TeamId = defineSearchAttributeKey('TeamId', 'KEYWORD');
export const Plan = defineSearchAttributeKey('Plan', 'KEYWORD');
export const BillingInterval = defineSearchAttributeKey('BillingInterval', 'KEYWORD');
export const SubscriptionStatus = defineSearchAttributeKey('SubscriptionStatus', 'KEYWORD');
export const PeriodEnd = defineSearchAttributeKey('PeriodEnd', 'DATETIME');

export const searchAttributeKeys = [TeamId, Plan, BillingInterval, SubscriptionStatus, PeriodEnd];
