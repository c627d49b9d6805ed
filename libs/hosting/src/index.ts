export * from './tokens';
export * from './storage-providers';
export * from './relay-host';
export * from './projection-host';
export * from './hosting-metrics';
export * from './reactions';
export * from './registry-clock';
export * from './decisions';
