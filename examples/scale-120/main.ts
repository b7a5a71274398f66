/**
 * Entry point of the 120-account scale example for the CDK CLI (see cdk.json): `cdk synth -c accounts=30`.
 * The app is built in app.ts so that tests and the benchmark build exactly the same stacks.
 */
import { createScaleApp } from './app';

createScaleApp().app.synth();
