export * from './commands';
export * from './events';
export * from './policy';
export * from './state';
export * from './decide';
export * from './queries';
export * from './decider';
