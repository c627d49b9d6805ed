export * from './districts';
export * from './establishment-events';
export * from './envelope-schema';
export * from './catalogue';
