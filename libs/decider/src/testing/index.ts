export * from './given-when-then';
export * from './followed-corrections';
