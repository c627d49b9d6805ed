export * from './documents';
export * from './establishment-projection';
