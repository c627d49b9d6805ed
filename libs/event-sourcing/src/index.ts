export * from './envelope';
export * from './event-store';
export * from './decider';
