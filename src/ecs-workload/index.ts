export * from './secure-ecs-workload';
