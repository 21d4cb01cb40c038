import { can, PERMISSIONS, ROLES, type BillingAction, type Role } from '../../src/domain';

// Section 11's matrix over can(): every action for every combination of roles, unions included. The table is
// written out from the spec, not derived from PERMISSIONS.
const billingSide: Role[] = ['owner', 'admin', 'billing_manager'];
const SECTION_11: Record<BillingAction, Role[]> = {
  view_billing: billingSide,
  change_plan: billingSide,
  manage_payment_methods: billingSide,
  request_invoice: billingSide,
  manage_billing_managers: billingSide,
  view_team: ['owner', 'admin', 'member', 'visitor'],
  contribute_credits: ['owner', 'admin', 'billing_manager', 'member', 'visitor'],
};

/** Every set of roles a user may hold, the empty one included: 2^5 of them. */
const roleSets: Role[][] = Array.from({ length: 2 ** ROLES.length }, (_, bits) => ROLES.filter((_, i) => bits & (1 << i)));
const cells = (Object.keys(SECTION_11) as BillingAction[]).flatMap((action) => roleSets.map((roles) => [action, roles] as const));

test('the spec table names every action the code knows', () => {
  expect(Object.keys(PERMISSIONS).sort()).toEqual(Object.keys(SECTION_11).sort());
});

test.each(cells)('%s with roles %j: the union of their rights', (action, roles) => {
  expect(can(roles, action)).toBe(roles.some((role) => SECTION_11[action].includes(role)));
});

test('a member who is also a billing manager has both rule sets', () => {
  const both: Role[] = ['member', 'billing_manager'];
  expect((Object.keys(SECTION_11) as BillingAction[]).filter((action) => can(both, action))).toEqual(Object.keys(SECTION_11));
  expect(can(['billing_manager'], 'view_team')).toBe(false);
  expect(can(['member'], 'view_billing')).toBe(false);
});
