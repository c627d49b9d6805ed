export * from './profile';
export * from './run-service';
