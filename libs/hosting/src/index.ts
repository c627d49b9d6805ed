export * from './tokens';
export * from './storage-providers';
export * from './relay-host';
export * from './projection-host';
export * from './after-append';
export * from './hosting-metrics';
export * from './reactions';
export * from './registry-clock';
