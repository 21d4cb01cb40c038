// Public API of the billing rules. Pure: no I/O, no clock, no Temporal or Node
// imports; `today` / `now` are always passed in, and every value is plain JSON.
export * from './money';
export * from './calendar';
export * from './catalog';
export * from './descriptions';
export * from './invoice';
export * from './proration';
export * from './renewal';
export * from './plan-change';
export * from './subscription-changes';
export * from './payment-application';
export * from './credits';
export * from './seats';
export * from './dunning';
export * from './refunds';
export * from './roles';
export * from './invitations';
export * from './manual-invoicing';
export * from './provider-invoices';
export * from './tax';
export * from './coupons';
export * from './price-versions';
