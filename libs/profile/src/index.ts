export * from './profile';
export * from './run-service';
export * from './time-zone';
