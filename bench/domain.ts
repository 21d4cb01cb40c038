// Throughput of the billing rules on one core:
//   - prorated lines per second (amount + customer description, rounded once)
//   - renewal invoices per second (renewals with member changes)
// Run: npm run bench -- domain   (or: npx tsx -e "require('./bench/domain').run()")
import { performance } from 'node:perf_hooks';
import {
  addDays,
  memberChangeLines,
  periodFrom,
  prorate,
  prorateFrom,
  renewalInvoice,
  type MemberChange,
  type Period,
} from '../src/domain';

const TARGET_LINES_PER_SECOND = 1_000_000;

/** Runs `batch` repeatedly for about `ms` milliseconds; returns units per second. */
function measure(ms: number, batch: () => number): number {
  for (let i = 0; i < 20; i++) batch(); // warm up
  let units = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    units += batch();
    elapsed = performance.now() - start;
  }
  return (units / elapsed) * 1000;
}

function rate(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export async function run(): Promise<void> {
  // Fixtures: 64 monthly periods and 64 annual terms from 2026 on, each with member changes.
  const periods: { period: Period; interval: 'month' | 'year'; anchor: number; changes: MemberChange[] }[] = [];
  for (let i = 0; i < 128; i++) {
    const interval = i % 2 === 0 ? 'month' : 'year';
    const start = addDays('2026-01-01', i * 11);
    const period = periodFrom(start, interval);
    const span = interval === 'month' ? 28 : 365;
    const changes: MemberChange[] = [
      { on: addDays(start, (i * 7) % span), delta: 1 + (i % 3) },
      { on: addDays(start, (i * 13 + 5) % span), delta: -1 },
      { on: addDays(start, (i * 3 + 2) % span), delta: 2 },
    ];
    periods.push({ period, interval, anchor: Number(start.slice(8)), changes });
  }
  let sink = 0;

  // 1. The rounding itself: price × count × days ÷ daysInPeriod, rounded once.
  const rawRate = measure(1000, () => {
    for (let i = 0; i < 10_000; i++) sink += prorate(1200 + (i & 7), 1 + (i & 15), i % 31, 31);
    return 10_000;
  });

  // 2. A prorated amount from calendar days (day parsing + day counts + rounding).
  const dayRate = measure(1000, () => {
    for (let i = 0; i < 1_000; i++) {
      const p = periods[i & 127] as (typeof periods)[number];
      sink += prorateFrom(10800, 1 + (i & 3), (p.changes[0] as MemberChange).on, p.period);
    }
    return 1_000;
  });

  // 3. Whole invoice lines with their descriptions, through memberChangeLines.
  const lineRate = measure(1500, () => {
    let lines = 0;
    for (let i = 0; i < 1_000; i++) {
      const p = periods[i & 127] as (typeof periods)[number];
      const r = memberChangeLines({ plan: 'basic', interval: p.interval, period: p.period, changes: p.changes, price: p.interval === 'month' ? 1200 : 10800 });
      lines += r.charges.length + r.refunds.length;
      sink += r.chargeTotal;
    }
    return lines;
  });

  // 4. Renewal invoices with member changes (catalog lookups, period line, change lines, total).
  const renewalRate = measure(1500, () => {
    for (let i = 0; i < 1_000; i++) {
      const p = periods[i & 127] as (typeof periods)[number];
      const r = renewalInvoice({ closing: { plan: 'professional', interval: p.interval, period: p.period }, members: 10 + (i & 7), anchorDay: p.anchor, memberChanges: p.changes });
      sink += r.invoice.total;
    }
    return 1_000;
  });

  console.log('domain benchmark (one core)');
  console.log(`  prorations (prorate)                       ${rate(rawRate)} /s`);
  console.log(`  prorated amounts from calendar days        ${rate(dayRate)} /s`);
  console.log(`  prorated lines with descriptions           ${rate(lineRate)} lines/s`);
  console.log(`  renewal invoices with member changes       ${rate(renewalRate)} invoices/s`);
  const met = lineRate >= TARGET_LINES_PER_SECOND;
  console.log(
    `  target ≥ ${rate(TARGET_LINES_PER_SECOND)} prorated lines/s: ${met ? 'MET' : 'NOT MET'} (${rate(lineRate)} lines/s with descriptions)`,
  );
  if (sink === Number.MIN_SAFE_INTEGER) console.log(sink); // keep the work observable
}
