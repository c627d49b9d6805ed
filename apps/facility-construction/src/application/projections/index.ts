export * from './documents';
export * from './facility-projection';
