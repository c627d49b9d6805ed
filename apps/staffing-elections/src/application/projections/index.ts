export * from './documents';
export * from './staffing-projection';
