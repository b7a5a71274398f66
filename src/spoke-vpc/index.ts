export * from './isolated-spoke-vpc';
