export * from './attachment';
export * from './hub';
export * from './segment';
export * from './spoke';
export * from './spoke-lookup';
export * from './vpn';
