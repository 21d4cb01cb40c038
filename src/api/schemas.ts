// The request and response shapes, as zod schemas: they validate input and describe the API in /openapi.json.
// Request bodies are strict (an unknown field is a 400 naming it), so a typo never silently does nothing.
import { z } from 'zod';
import 'zod-openapi';
import { INTERVALS, PLANS, PURCHASE_ORDER_MAX_LENGTH, type Interval as IntervalName, type PaidPlan as PaidPlanName, type Plan as PlanName } from '../domain';
import { MEMBER_ROLES, type MemberRole as MemberRoleName } from '../ledger/accounts/directory';

/** z.enum of a readonly list, keeping its literal type. */
const oneOf = <T extends string>(values: readonly T[]) => z.enum(values as [T, ...T[]]);

export const Id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'is 1 to 64 letters, digits, _ or -');
export const TeamIdParam = z.object({ teamId: Id.meta({ description: 'The team' }) });
export const Day = z.string().meta({ description: 'A calendar day, UTC', example: '2026-05-20' });
export const Cents = z.int().meta({ description: 'US cents' });
export const Plan = oneOf<PlanName>(PLANS).meta({ id: 'Plan' });
export const PaidPlan = oneOf<PaidPlanName>(PLANS.filter((plan): plan is PaidPlanName => plan !== 'free')).meta({ id: 'PaidPlan' });
export const Interval = oneOf<IntervalName>(INTERVALS).meta({ id: 'Interval' });
export const MemberRole = oneOf<MemberRoleName>(MEMBER_ROLES).meta({ id: 'MemberRole' });
export const Email = z.email().max(254);
// No control characters: they have no place in a name, and Postgres refuses NUL.
const hasControlCharacters = (text: string) => [...text].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
export const Name = z.string().trim().min(1).max(200).refine((name) => !hasControlCharacters(name), 'has no control characters');
/** The buyer's purchase-order reference for a requested invoice: printed on it, for their accounts payable. */
export const PurchaseOrder = z.string().trim().min(1).max(PURCHASE_ORDER_MAX_LENGTH).refine((text) => !hasControlCharacters(text), 'has no control characters')
  .meta({ description: "Your purchase-order reference, printed on the invoice and in its email (invoice first only)", example: 'PO-2026-0042' });
/** A provider's object ID: pm_card_visa, pm_1Nx…, cus_…. */
export const ProviderId = z.string().regex(/^[A-Za-z0-9_.:-]{1,255}$/, 'is a provider ID such as pm_card_visa');
export const Count = z.int().min(1).max(10_000);

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string().optional(),
    code: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

export const Organization = z.object({ id: z.string(), name: z.string() }).meta({ id: 'Organization' });
export const User = z.object({ id: z.string(), email: z.string(), name: z.string() }).meta({ id: 'User' });
export const Member = z.object({ userId: z.string(), email: z.string(), name: z.string(), role: MemberRole }).meta({ id: 'Member' });
export const BillingManager = z.object({ userId: z.string(), email: z.string(), name: z.string() }).meta({ id: 'BillingManager' });

export const Period = z.object({ start: Day, end: Day });
export const PendingChange = z.object({ plan: Plan, interval: Interval, effectiveOn: Day }).meta({ id: 'PendingChange' });
export const InvoiceLine = z
  .object({
    kind: z.string(),
    description: z.string(),
    amount: Cents,
    plan: Plan.optional().meta({ description: 'A period line: the plan it bills' }),
    interval: Interval.optional().meta({ description: 'A period line: the interval it bills' }),
    quantity: z.int().optional().meta({ description: 'A period line: the members (or seats) it bills' }),
  })
  .meta({ id: 'InvoiceLine' });

export const Subscription = z
  .object({
    teamId: z.string(),
    today: Day,
    plan: Plan,
    interval: Interval,
    status: z.enum(['trialing', 'active', 'past_due', 'free']),
    members: z.int(),
    restricted: z.boolean(),
    period: Period.nullable(),
    periodEnd: Day.nullable(),
    trial: Period.nullable(),
    pendingChange: PendingChange.nullable(),
    hasPaymentMethod: z.boolean(),
    nextEventOn: Day.nullable(),
  })
  .loose()
  .meta({ id: 'Subscription', description: "The team's subscription, as its workflow last published it (or live, with `?live=true`)" });

export const ChargedInvoice = z
  .object({
    invoiceId: z.string(),
    on: Day,
    reason: z.string(),
    lines: z.array(InvoiceLine),
    number: z.string().optional().meta({ description: 'Its number in the gapless yearly series, e.g. INV-2026-000123' }),
    net: Cents.optional().meta({ description: 'The sum of its lines' }),
    tax: Cents.optional().meta({ description: 'Its one tax line (0 where untaxed or reverse-charged): total = net + tax' }),
    total: Cents,
    balanceApplied: Cents,
    creditsApplied: Cents,
    charged: Cents,
    status: z.enum(['open', 'paid', 'failed', 'void']),
  })
  .loose()
  .meta({ id: 'ChargedInvoice' });

export const Team = z
  .object({ id: z.string(), name: z.string(), billingCountry: z.string(), organizationId: z.string().nullable(), roles: z.array(z.string()) })
  .meta({ id: 'Team' });

export const PaymentMethod = z
  .strictObject({ provider: z.enum(['sandbox', 'stripe']), paymentMethodId: ProviderId, customerId: ProviderId.optional() })
  .meta({ id: 'PaymentMethod', description: 'A card on file: a sandbox test card (pm_card_visa) or a Stripe payment method' });

export const PlanSelection = z.strictObject({ plan: PaidPlan, interval: Interval });
export const PlanChange = z
  .strictObject({ plan: Plan.optional(), interval: Interval.optional() })
  .refine((change) => change.plan !== undefined || change.interval !== undefined, { message: 'name a plan, an interval, or both' });

/** An object of unknown shape in a response (ledger rows, workflow answers described elsewhere). */
export const Json = z.record(z.string(), z.unknown());
