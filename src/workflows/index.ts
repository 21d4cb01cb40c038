// Every workflow of the engine, one per file; the worker bundles this module.
export * from './team-subscription';
export * from './credit-expiry-sweep';
export * from './renewal-sweep';
export * from './billing-manager-invitation';
export * from './webhook-delivery';
export * from './notification-emails';
export * from './price-publication';
