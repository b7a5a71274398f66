export * from './types';
export * from './endpoint';
export * from './model';
export * from './intent';
export * from './verifier';
