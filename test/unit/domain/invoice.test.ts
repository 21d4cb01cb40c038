import fc from 'fast-check';
import {
  buildInvoice,
  describeMembersAdded,
  describePeriodCharge,
  describeSeatOrder,
  describeUnusedTime,
  formatSpan,
  invoiceTotal,
  memberChangeLines,
  periodFrom,
  renewalInvoice,
  addDays,
  periodDays,
  type InvoiceLine,
} from '../../../src/domain';

describe('descriptions a customer understands', () => {
  test.each([
    [describePeriodCharge('professional', 'month', 10, { start: '2026-05-25', end: '2026-06-25' }), 'Professional, monthly, 10 members, May 25 – Jun 25'],
    [describePeriodCharge('basic', 'month', 10, { start: '2026-05-20', end: '2026-06-20' }), 'Basic, monthly, 10 members, May 20 – Jun 20'],
    [describePeriodCharge('basic', 'month', 1, { start: '2026-12-20', end: '2027-01-20' }), 'Basic, monthly, 1 member, Dec 20, 2026 – Jan 20, 2027'],
    [describePeriodCharge('basic', 'year', 10, { start: '2026-05-20', end: '2027-05-20' }), 'Basic, annual, 10 members, May 20, 2026 – May 20, 2027'],
    [describeUnusedTime('basic', 10, '2026-05-25', '2026-06-20'), 'Unused time on Basic, 10 members, May 25 – Jun 20'],
    [describeMembersAdded('basic', 1, '2026-05-25', 26, 31), 'Basic, 1 member added May 25, 26/31 days'],
    [describeSeatOrder('enterprise', 12, { start: '2026-01-01', end: '2027-01-01' }), 'Enterprise, seat order, 12 seats, Jan 1, 2026 – Jan 1, 2027'],
    [formatSpan('2026-02-01', '2026-03-01'), 'Feb 1 – Mar 1'],
  ])('%s', (actual, expected) => {
    expect(actual).toBe(expected);
  });
});

describe('invoice totals', () => {
  test('total = Σ lines, never rounded again', () => {
    const lines: InvoiceLine[] = [
      { kind: 'period', description: 'a', amount: 24000 },
      { kind: 'unused_time', description: 'b', amount: -10065 },
    ];
    expect(buildInvoice('2026-05-25', 'plan_change', lines)).toEqual({ on: '2026-05-25', reason: 'plan_change', lines, total: 13935 });
  });
  test('a line that is not whole cents is refused', () => {
    expect(() => buildInvoice('2026-05-25', 'renewal', [{ kind: 'period', description: 'x', amount: 0.5 }])).toThrow(RangeError);
  });

  test('property: an invoice total equals the sum of its lines', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -10_000_000, max: 10_000_000 }), { maxLength: 20 }), (amounts) => {
        const invoice = buildInvoice('2026-05-25', 'renewal', amounts.map((amount) => ({ kind: 'period', description: '', amount })));
        expect(invoice.total).toBe(amounts.reduce((s, a) => s + a, 0));
      }),
    );
  });

  test('property: a renewal with member changes totals its lines', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 19_000, max: 23_000 }),
        fc.constantFrom<'month' | 'year'>('month', 'year'),
        fc.integer({ min: 1, max: 200 }),
        fc.array(fc.record({ offset: fc.nat(), delta: fc.integer({ min: -3, max: 3 }) }), { maxLength: 10 }),
        (n, interval, members, raw) => {
          const period = periodFrom(addDays('1970-01-01', n), interval);
          const changes = raw.map(({ offset, delta }) => ({ on: addDays(period.start, offset % periodDays(period)), delta }));
          const r = renewalInvoice({ closing: { plan: 'professional', interval, period }, members, anchorDay: Number(period.start.slice(8)), memberChanges: changes });
          expect(r.invoice.total).toBe(invoiceTotal(r.invoice.lines));
          const lines = memberChangeLines({ plan: 'professional', interval, period, changes });
          expect(r.invoice.total).toBe((interval === 'month' ? 2400 : 21600) * members + lines.chargeTotal);
        },
      ),
    );
  });
});
