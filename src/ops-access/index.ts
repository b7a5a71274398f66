export * from './forwarding-target';
export * from './overlapping-cidr-ops-access';
export * from './session-preferences';
