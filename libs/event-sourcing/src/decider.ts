// The pure decider vocabulary lives in #libs/decider so that domain code imports no I/O.
export * from '#libs/decider';
