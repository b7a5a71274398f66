/**
 * Entry point of the reference deployment for the CDK CLI (see cdk.json): `cdk synth`, `cdk deploy`.
 * The app itself is built in app.ts so that tests build exactly the same stacks.
 */
import { createReferenceApp } from './app';

createReferenceApp().app.synth();
