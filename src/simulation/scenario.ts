import { z } from 'zod';
import { checkTaxIdOffline } from '../billing-details/tax-ids';
import { compareDays, isDay, type Day } from '../domain';

/** The scenario format of shared/spec/simulation.md: a team's timeline of UTC calendar days. */
const day = z.string().refine(isDay, { message: 'must be a calendar day YYYY-MM-DD' });
const count = z.number().int().positive().max(100_000);
const cents = z.number().int().positive().max(1_000_000_000);
const plan = z.enum(['free', 'basic', 'professional', 'enterprise']);
const paidPlan = z.enum(['basic', 'professional', 'enterprise']);
const interval = z.enum(['month', 'year']);
const on = { on: day };

const event = z.discriminatedUnion('action', [
  z.strictObject({ ...on, action: z.literal('startTrial'), plan: paidPlan, interval }),
  z.strictObject({ ...on, action: z.literal('subscribe'), plan: paidPlan, interval }),
  z.strictObject({ ...on, action: z.literal('addMembers'), count }),
  z.strictObject({ ...on, action: z.literal('removeMembers'), count }),
  z
    .strictObject({ ...on, action: z.literal('changePlan'), plan: plan.optional(), interval: interval.optional() })
    .refine((e) => e.plan !== undefined || e.interval !== undefined, { message: 'changePlan needs a plan, an interval or both', path: ['plan'] }),
  z.strictObject({ ...on, action: z.literal('withdrawPendingChange') }),
  z.strictObject({ ...on, action: z.literal('cancel') }),
  z.strictObject({ ...on, action: z.literal('grantCredits'), amount: cents }),
  z.strictObject({ ...on, action: z.literal('failPayments'), count }),
  z
    .strictObject({ ...on, action: z.literal('buySeats'), plan: paidPlan, seats: count, invoiceFirst: z.boolean().optional(), payOn: day.optional() })
    .refine((e) => e.payOn === undefined || e.invoiceFirst === true, { message: 'payOn goes with invoiceFirst: true', path: ['payOn'] }),
  z.strictObject({ ...on, action: z.literal('addSeats'), count }),
  z.strictObject({ ...on, action: z.literal('publishPrice'), plan: z.enum(['basic', 'professional']), interval, amount: cents, grandfather: z.boolean().optional() }),
  z.strictObject({ ...on, action: z.literal('redeemCode'), code: z.string().trim().min(1).max(64) }),
  z.strictObject({ ...on, action: z.literal('requestRefund'), invoice: z.string().regex(/^[A-Z0-9]+-\d{4}-\d{6}$/, 'must be an invoice number such as INV-2026-000001').optional() }),
]);

/** One coupon and its promotion code `code`: percent or amount off, for a duration (billing rules section 14). */
const scenarioCoupon = z
  .strictObject({
    code: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only'),
    percentOff: z.number().int().min(1).max(100).optional(),
    amountOff: cents.optional(),
    duration: z.enum(['once', 'repeating', 'forever']),
    months: z.number().int().min(1).max(1200).optional(),
    plans: z.array(paidPlan).min(1).optional(),
    maxRedemptions: z.number().int().min(1).max(1_000_000).optional(),
    expiresOn: day.optional(),
    firstTimeOnly: z.boolean().optional(),
  })
  .refine((c) => (c.percentOff === undefined) !== (c.amountOff === undefined), { message: 'give exactly one of percentOff and amountOff', path: ['percentOff'] })
  .refine((c) => (c.duration === 'repeating') === (c.months !== undefined), { message: 'months goes with duration repeating, and only with it', path: ['months'] });

export type ScenarioCoupon = z.infer<typeof scenarioCoupon>;

const actions = event.options.map((option) => option.shape.action.value);

export const scenarioSchema = z
  .strictObject({
    start: day,
    until: day,
    team: z.strictObject({
      members: z.number().int().min(0).max(100_000),
      country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code such as US or DE').default('US'),
      credits: z.number().int().min(0).max(1_000_000_000).default(0),
      balance: z.number().int().min(0).max(1_000_000_000).default(0),
      /** A VAT ID of `country`: the team is a business for tax (section 13). */
      taxId: z.string().min(2).max(40).optional(),
    }),
    /** The coupons and promotion codes that exist in the run (section 14). */
    coupons: z.array(scenarioCoupon).max(100).optional(),
    events: z.array(event).max(10_000).default([]),
  })
  .superRefine((scenario, ctx) => {
    if (compareDays(scenario.start, scenario.until) >= 0) {
      ctx.addIssue({ code: 'custom', path: ['until'], message: `must be after start (${scenario.start})` });
    }
    if (scenario.team.taxId !== undefined) {
      const verdict = checkTaxIdOffline(scenario.team.taxId, scenario.team.country);
      if (!verdict.valid) ctx.addIssue({ code: 'custom', path: ['team', 'taxId'], message: verdict.reason });
    }
    scenario.events.forEach((e, i) => {
      if (compareDays(e.on, scenario.start) < 0 || compareDays(e.on, scenario.until) >= 0) {
        ctx.addIssue({ code: 'custom', path: ['events', i, 'on'], message: `must lie in [start, until): ${scenario.start} to ${scenario.until}` });
      }
      const previous = scenario.events[i - 1];
      if (previous && compareDays(e.on, previous.on) < 0) {
        ctx.addIssue({ code: 'custom', path: ['events', i, 'on'], message: `is before the previous event's day ${previous.on}: events are listed in date order` });
      }
      if (e.action === 'buySeats' && e.payOn && compareDays(e.payOn, e.on) < 0) {
        ctx.addIssue({ code: 'custom', path: ['events', i, 'payOn'], message: `is before the order day ${e.on}` });
      }
      // The run ends the day before `until`: a payment on or after it would never be made.
      if (e.action === 'buySeats' && e.payOn && compareDays(e.payOn, scenario.until) >= 0) {
        ctx.addIssue({ code: 'custom', path: ['events', i, 'payOn'], message: `must be before until (${scenario.until})` });
      }
    });
  });

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioEvent = Scenario['events'][number];

export interface ScenarioProblem {
  field: string;
  message: string;
}

/** `events[3].count`: the field a problem is about, in the form a person finds it in their JSON. */
function fieldName(path: readonly PropertyKey[]): string {
  return path.reduce<string>((name, part) => (typeof part === 'number' ? `${name}[${part}]` : name ? `${name}.${String(part)}` : String(part)), '') || '(scenario)';
}

export type ParsedScenario = { ok: true; scenario: Scenario } | { ok: false; problems: ScenarioProblem[] };

export function parseScenario(input: unknown): ParsedScenario {
  const parsed = scenarioSchema.safeParse(input);
  if (parsed.success) return { ok: true, scenario: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => ({
      field: fieldName(issue.path),
      message: issue.code === 'invalid_union' && issue.path.at(-1) === 'action' ? `unknown action; known: ${actions.join(', ')}` : issue.message,
    })),
  };
}

export type { Day };
