import {
  checkInvite,
  checkReorder,
  expiryNoticeDay,
  invoiceDueDay,
  isPastDue,
  seatAdditionInvoice,
  seatOrderInvoice,
  seatOrderPeriod,
} from '../../../src/domain';

describe('seat orders', () => {
  test.each([
    ['basic', 10, '2026-01-01', 108000, '2027-01-01'],
    ['enterprise', 5, '2026-03-31', 162000, '2027-03-31'],
    ['professional', 1, '2028-02-29', 21600, '2029-02-28'],
  ] as const)('%s × %i seats from %s costs %i, ends %s', (plan, seats, start, total, end) => {
    const r = seatOrderInvoice({ plan, seats, start });
    expect(r.invoice.total).toBe(total);
    expect(r.order).toEqual({ start, end });
  });

  test.each([
    ['O1', 3, '2026-07-02', 16244],
    ['on the first day: the full price', 1, '2026-01-01', 10800],
    ['on the last day: one day', 1, '2026-12-31', 30], // 29.59
  ])('seat addition %s', (_name, added, today, total) => {
    expect(seatAdditionInvoice({ plan: 'basic', added, today, order: seatOrderPeriod('2026-01-01') }).total).toBe(total);
  });

  test('an addition outside the order, or of no seats, is refused', () => {
    const order = seatOrderPeriod('2026-01-01');
    expect(() => seatAdditionInvoice({ plan: 'basic', added: 1, today: '2027-01-01', order })).toThrow(RangeError);
    expect(() => seatAdditionInvoice({ plan: 'basic', added: 0, today: '2026-02-01', order })).toThrow(RangeError);
  });

  test('free has no seat orders', () => {
    expect(() => seatOrderInvoice({ plan: 'free' as never, seats: 1, start: '2026-01-01' })).toThrow(RangeError);
  });
});

describe('seat limits', () => {
  test('inviting within the seats is allowed', () => {
    expect(checkInvite({ members: 9, seats: 10 })).toEqual({ ok: true });
  });
  test('inviting past the seats names the seats needed', () => {
    expect(checkInvite({ members: 10, seats: 10, inviting: 2 })).toEqual({
      ok: false,
      error: 'not_enough_seats',
      seats: 10,
      seatsNeeded: 12,
      seatsToAdd: 2,
      message: 'Not enough seats: 12 seats are needed and the order has 10. Add 2 seats first.',
    });
  });
  test('a reorder may go down, not below the members', () => {
    expect(checkReorder({ seats: 8, members: 8 })).toEqual({ ok: true });
    expect(checkReorder({ seats: 7, members: 8 })).toMatchObject({ ok: false, error: 'seats_below_members', members: 8 });
  });
  test('expiry notice on order end − 30 days', () => {
    expect(expiryNoticeDay(seatOrderPeriod('2026-01-01'))).toBe('2026-12-02');
    expect(expiryNoticeDay(seatOrderPeriod('2027-03-15'))).toBe('2028-02-14');
  });
  test('invoice first: due in 30 days, voided after the due day', () => {
    expect(invoiceDueDay('2026-01-01')).toBe('2026-01-31');
    expect(invoiceDueDay('2026-01-01', 14)).toBe('2026-01-15');
    expect(isPastDue('2026-01-31', '2026-01-31')).toBe(false);
    expect(isPastDue('2026-01-31', '2026-02-01')).toBe(true);
  });
});
