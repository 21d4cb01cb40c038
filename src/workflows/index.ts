// Every workflow of the engine, one per file; the worker bundles this module.
export * from './team-subscription';
export * from './credit-expiry-sweep';
export * from './billing-manager-invitation';
