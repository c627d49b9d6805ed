export * from './read-store';
export * from './memory-read-store';
export * from './mongoose-read-store';
export * from './projection';
export * from './mongo-idempotency-store';
export * from './mongo-inbox';
export * from './sqlite-read-store';
