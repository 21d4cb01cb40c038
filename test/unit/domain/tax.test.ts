// Section 13: the rate table, the rate on a day, reverse charge, one tax line rounded once; X1–X5 with their figures.
import {
  acquireCredits,
  applyPayment,
  providerInvoiceLines,
  basisPointsOf,
  formatRate,
  partOfTaxedTotal,
  creditNoteParts,
  parseVatRates,
  planChange,
  rateOn,
  renewalInvoice,
  taxLines,
  taxRateFor,
  VAT_RATES,
  EU_AND_UK_COUNTRIES,
  type Period,
  type TaxContext,
} from '../../../src/domain';
import fc from 'fast-check';

const mayToJune: Period = { start: '2026-05-20', end: '2026-06-20' };
const consumer: TaxContext = { taxIdValid: false, sellerCountry: 'US' };
const business: TaxContext = { taxIdValid: true, sellerCountry: 'US' };

describe('the VAT rate table', () => {
  test('has a dated, sourced standard rate for every EU member state and the UK', () => {
    for (const country of EU_AND_UK_COUNTRIES) {
      const rate = rateOn(VAT_RATES, country, '2026-05-20');
      expect(rate).not.toBeNull();
      expect(rate?.source).toMatch(/\w/);
    }
    expect(new Set(VAT_RATES.map((rate) => rate.country))).toEqual(new Set(EU_AND_UK_COUNTRIES));
  });

  test.each([
    ['DE', '2026-05-20', 1900], ['NL', '2026-05-20', 2100], ['FR', '2026-05-20', 2000], ['GB', '2026-05-20', 2000],
    ['HU', '2026-05-20', 2700], ['LU', '2026-05-20', 1700], ['FI', '2024-08-31', 2400], ['FI', '2024-09-01', 2550],
    ['DE', '2020-12-31', 1600], ['DE', '2021-01-01', 1900], ['SK', '2024-12-31', 2000], ['SK', '2025-01-01', 2300],
    ['EE', '2025-06-30', 2200], ['EE', '2025-07-01', 2400], ['RO', '2025-07-31', 1900], ['RO', '2025-08-01', 2100],
  ])('%s on %s: %i bp, from the rate whose day has come', (country, day, basisPoints) => {
    expect(taxRateFor(country, day, consumer)).toMatchObject({ treatment: 'standard', country, basisPoints });
  });

  test('codes are taken as written elsewhere: de, EL for Greece, UK for the United Kingdom', () => {
    expect(taxRateFor('de', '2026-05-20', consumer).basisPoints).toBe(1900);
    expect(taxRateFor('EL', '2026-05-20', consumer)).toMatchObject({ country: 'GR', basisPoints: 2400 });
    expect(taxRateFor('UK', '2026-05-20', consumer)).toMatchObject({ country: 'GB', basisPoints: 2000 });
  });

  test('a day before a listed country\'s first rate is an error, not a guess', () => {
    expect(() => taxRateFor('EE', '2023-12-31', consumer)).toThrow(/no VAT rate of EE/);
  });

  test('a malformed table is refused', () => {
    expect(() => parseVatRates([{ country: 'DE', basisPoints: 19.5, from: '2026-01-01', source: 'x' }])).toThrow();
    expect(() => parseVatRates([{ country: 'DE', basisPoints: 1900, from: '2026-13-01', source: 'x' }])).toThrow();
  });
});

describe('the rate of an invoice', () => {
  test('US and other countries are untaxed, business or not', () => {
    expect(taxRateFor('US', '2026-05-20', consumer)).toEqual({ treatment: 'untaxed', country: 'US', basisPoints: 0, source: null });
    expect(taxRateFor('JP', '2026-05-20', business)).toMatchObject({ treatment: 'untaxed', basisPoints: 0 });
  });

  test('a rate the seller configures for another country applies from its day', () => {
    const configuredRates = parseVatRates([{ country: 'NO', basisPoints: 2500, from: '2026-07-01', source: 'seller: Norwegian VOEC registration' }]);
    expect(taxRateFor('NO', '2026-06-30', { ...consumer, configuredRates }).treatment).toBe('untaxed');
    expect(taxRateFor('NO', '2026-07-01', { ...consumer, configuredRates })).toMatchObject({ treatment: 'standard', basisPoints: 2500 });
  });

  test('a business in the EU or UK outside the seller\'s country is reverse-charged', () => {
    expect(taxRateFor('FR', '2026-05-20', business)).toEqual({ treatment: 'reverse_charge', country: 'FR', basisPoints: 0, source: null });
    expect(taxRateFor('GB', '2026-05-20', { ...business, sellerCountry: 'DE' }).treatment).toBe('reverse_charge');
  });

  test('a business in the seller\'s own country pays its VAT; a tax ID that failed validation changes nothing', () => {
    expect(taxRateFor('DE', '2026-05-20', { ...business, sellerCountry: 'DE' })).toMatchObject({ treatment: 'standard', basisPoints: 1900 });
    expect(taxRateFor('FR', '2026-05-20', { ...consumer, sellerCountry: 'US' })).toMatchObject({ treatment: 'standard', basisPoints: 2000 });
  });
});

describe('one tax line, rounded once, half away from zero', () => {
  test.each([
    [1006, 1900, 191], // 191.14
    [-1006, 1900, -191],
    [13935, 1900, 2648], // 2647.65
    [14206, 2100, 2983], // 2983.26
    [50, 1900, 10], // 9.5 → 10
    [-50, 1900, -10], // −9.5 → −10
    [0, 1900, 0],
    [12000, 2550, 3060],
  ])('%i at %i bp is %i', (net, basisPoints, tax) => {
    expect(basisPointsOf(net, basisPoints)).toBe(tax);
  });

  test('tax is on the sum of the lines, not line by line', () => {
    // Per line: round(1.9 × 0.5)... 10 lines of 5 cents at 19%: each 0.95 → 1 would make 10; once on 50 it is 10 (9.5).
    expect(taxLines([26, 26], { basisPoints: 1900 })).toEqual({ net: 52, tax: 10, total: 62 }); // 9.88 → 10, not 5 + 5
    expect(taxLines([3, 3, 3], { basisPoints: 1900 })).toEqual({ net: 9, tax: 2, total: 11 }); // 1.71 → 2, not 1 + 1 + 1
  });

  test('huge amounts stay exact', () => {
    expect(basisPointsOf(900_719_925_474_099, 2550)).toBe(229_683_580_995_895); // .2 rounds down
  });

  test('rates print as on a document', () => {
    expect([formatRate(1900), formatRate(2550), formatRate(0), formatRate(2105)]).toEqual(['19%', '25.5%', '0%', '21.05%']);
  });
});

describe('worked examples X1–X5', () => {
  const de = taxRateFor('DE', '2026-05-20', consumer);

  test('X1 consumer in Germany, Basic monthly, 10 members: 12000 + 2280 = 14280; with 3000 credits charged 11280', () => {
    const invoice = taxLines([1200 * 10], de);
    expect(invoice).toEqual({ net: 12000, tax: 2280, total: 14280 });
    expect(applyPayment({ total: invoice.total, balance: 0, grants: [], now: '2026-05-20' }).charged).toBe(14280);
    const grant = acquireCredits('referral-1', 3000, '2026-05-20').grant;
    const paid = applyPayment({ total: invoice.total, balance: 0, grants: [grant], now: '2026-05-20' });
    expect([paid.creditsApplied, paid.charged]).toEqual([3000, 11280]);
  });

  test('X2 the same team as a business with a valid French VAT ID: 12000, tax 0, reverse charge', () => {
    const fr = taxRateFor('FR', '2026-05-20', business);
    expect(fr.treatment).toBe('reverse_charge');
    expect(taxLines([12000], fr)).toEqual({ net: 12000, tax: 0, total: 12000 });
  });

  test('X3 M2 in Germany: credit note −1006 − 191 = −1197 to the balance; renewal 10800 + 2052 = 12852, card 11655', () => {
    const r = renewalInvoice({ closing: { plan: 'basic', interval: 'month', period: mayToJune }, members: 9, anchorDay: 20, memberChanges: [{ on: '2026-05-25', delta: -1 }] });
    const creditNote = taxLines([-r.refundTotal], de); // at the rate of the invoice it corrects (2026-05-20)
    expect(creditNote).toEqual({ net: -1006, tax: -191, total: -1197 });
    const renewal = taxLines(r.invoice.lines.map((line) => line.amount), taxRateFor('DE', r.invoice.on, consumer));
    expect(renewal).toEqual({ net: 10800, tax: 2052, total: 12852 });
    const paid = applyPayment({ total: renewal.total, balance: -creditNote.total, grants: [], now: r.invoice.on });
    expect([paid.balanceApplied, paid.charged]).toEqual([1197, 11655]);
  });

  test('X4 U1 in Germany: 24000 − 10065 = 13935, tax 2647.65 → 2648, total 16583', () => {
    const c = planChange({ current: { plan: 'basic', interval: 'month', period: mayToJune, members: 10 }, to: { plan: 'professional' }, today: '2026-05-25' });
    if (c.timing !== 'immediate') throw new Error(c.timing);
    expect(c.invoice.lines.map((line) => line.amount)).toEqual([24000, -10065]);
    expect(taxLines(c.invoice.lines.map((line) => line.amount), taxRateFor('DE', c.invoice.on, consumer))).toEqual({ net: 13935, tax: 2648, total: 16583 });
  });

  test('X5 M1 in the Netherlands (21%): 13200 + 1006 = 14206, tax 2983.26 → 2983, total 17189', () => {
    const r = renewalInvoice({ closing: { plan: 'basic', interval: 'month', period: mayToJune }, members: 11, anchorDay: 20, memberChanges: [{ on: '2026-05-25', delta: 1 }] });
    expect(r.invoice.lines.map((line) => line.amount)).toEqual([13200, 1006]);
    expect(taxLines(r.invoice.lines.map((line) => line.amount), taxRateFor('NL', r.invoice.on, consumer))).toEqual({ net: 14206, tax: 2983, total: 17189 });
  });
});

describe('invoice first at Stripe', () => {
  test('the provider\'s invoice carries our tax line, so its total is what ours charges', () => {
    const lines = providerInvoiceLines({
      lines: [{ description: 'Basic seats × 10', amount: 108000 }], tax: { description: 'VAT 19% (DE)', amount: 20520 }, balanceApplied: 1197, creditsApplied: 3000,
    });
    expect(lines).toEqual([
      { description: 'Basic seats × 10', amount: 108000 }, { description: 'VAT 19% (DE)', amount: 20520 },
      { description: 'Paid from the team balance', amount: -1197 }, { description: 'Paid with credits', amount: -3000 },
    ]);
    expect(lines.reduce((sum, line) => sum + line.amount, 0)).toBe(108000 + 20520 - 1197 - 3000);
    expect(providerInvoiceLines({ lines: [{ description: 'US seats', amount: 500 }], tax: { description: 'VAT', amount: 0 }, balanceApplied: 0, creditsApplied: 0 })).toHaveLength(1);
  });
});

describe('a part of a taxed total given back (partial refunds)', () => {
  const x1 = taxLines([12000], { basisPoints: 1900 }); // 12000 + 2280 = 14280
  const none = { net: 0, tax: 0, total: 0 };

  test('its VAT is the fraction bp ÷ (10000 + bp) of the gross, rounded once; the part that completes the invoice takes what is left', () => {
    expect(partOfTaxedTotal(5000, x1, none, 1900)).toEqual({ net: 4202, tax: 798, total: 5000 }); // 5000 × 1900 ÷ 11900 = 798.32
    expect(partOfTaxedTotal(9280, x1, { net: 4202, tax: 798, total: 5000 }, 1900)).toEqual({ net: 7798, tax: 1482, total: 9280 });
    expect(partOfTaxedTotal(14280, x1, none, 1900)).toEqual(x1);
    expect(partOfTaxedTotal(700, taxLines([700], { basisPoints: 0 }), none, 0)).toEqual({ net: 700, tax: 0, total: 700 });
  });

  test('more than is left, or nothing, is refused', () => {
    expect(() => partOfTaxedTotal(14281, x1, none, 1900)).toThrow(RangeError);
    expect(() => partOfTaxedTotal(1, x1, x1, 1900)).toThrow(RangeError);
    expect(() => partOfTaxedTotal(0, x1, none, 1900)).toThrow(RangeError);
  });

  test('any split of an invoice into parts: each part\'s net and tax are within what was left, and the parts add up to the invoice to the cent', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 500_000 }), fc.constantFrom(0, 700, 1900, 2000, 2100, 2550, 2700), fc.array(fc.integer({ min: 1, max: 1_000 }), { minLength: 1, maxLength: 40 }),
      (net, bp, weights) => {
        const invoice = taxLines([net], { basisPoints: bp });
        const weightSum = weights.reduce((a, b) => a + b, 0);
        let credited = none;
        let given = 0;
        for (const [i, weight] of weights.entries()) {
          const gross = i === weights.length - 1 ? invoice.total - given : Math.floor((invoice.total * weight) / weightSum);
          if (gross <= 0) continue;
          const part = partOfTaxedTotal(gross, invoice, credited, bp);
          expect(part.net).toBeGreaterThanOrEqual(0);
          expect(part.tax).toBeGreaterThanOrEqual(0);
          expect(part.net + part.tax).toBe(gross);
          credited = { net: credited.net + part.net, tax: credited.tax + part.tax, total: credited.total + part.total };
          given += gross;
        }
        expect(credited).toEqual(invoice);
      },
    ));
  });
});

describe('where a credit note\'s money went', () => {
  const invoice = { balance: 1197, credits: 3000, card: 8655 }; // total 12852
  test('a whole refund gives each part back the way it came; a partial one goes one way; a removed member\'s to the balance', () => {
    expect(creditNoteParts({ reason: 'refund', to: 'card', total: -12852 }, invoice)).toEqual(invoice);
    expect(creditNoteParts({ reason: 'refund', to: 'card', total: -5000 }, invoice)).toEqual({ balance: 0, credits: 0, card: 5000 });
    expect(creditNoteParts({ reason: 'refund', to: 'balance', total: -4197 }, invoice)).toEqual({ balance: 1197, credits: 3000, card: 0 });
    expect(creditNoteParts({ reason: 'member_removed', to: 'balance', total: -1197 }, invoice)).toEqual({ balance: 1197, credits: 0, card: 0 });
  });
});
