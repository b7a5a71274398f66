export * from './hub';
export * from './spoke';
export * from './query-log-destination';
