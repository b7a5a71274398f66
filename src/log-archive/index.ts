export * from './destinations';
export * from './elb-principal';
export * from './central-log-archive';
export * from './waf-log-delivery';
