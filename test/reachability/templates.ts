import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Hand-written CloudFormation templates for unit tests: small, exact, and fast (no synthesis). The four-account
 * fixture (fixture.ts) covers the shapes aws-cdk-lib writes.
 */
export class TemplateBuilder {
  public readonly resources: Record<string, { Type: string; Properties: Record<string, unknown>; Condition?: string }> = {};
  public readonly outputs: Record<string, unknown> = {};
  public readonly parameters: Record<string, unknown> = {};
  public readonly conditions: Record<string, unknown> = {};
  public readonly mappings: Record<string, unknown> = {};

  constructor(public readonly id: string, public readonly account: string | undefined = '222222222222', public readonly region = 'ap-northeast-1') {}

  /** Adds a resource and returns `{ Ref: id }`. */
  public add(id: string, type: string, props: Record<string, unknown> = {}): { Ref: string } {
    this.resources[id] = { Type: type, Properties: props };
    return { Ref: id };
  }

  public template(): Record<string, unknown> {
    return { Resources: this.resources, Outputs: this.outputs, Parameters: this.parameters, Conditions: this.conditions, Mappings: this.mappings };
  }
}

/** Writes the stacks as a cloud assembly in a new temporary directory and returns it. */
export function writeAssembly(...stacks: TemplateBuilder[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reach-'));
  const artifacts: Record<string, unknown> = {};
  for (const s of stacks) {
    fs.writeFileSync(path.join(dir, `${s.id}.template.json`), JSON.stringify(s.template()));
    const metadata: Record<string, unknown> = {};
    for (const logicalId of Object.keys(s.resources)) {
      metadata[`/${s.id}/${logicalId}/Resource`] = [{ type: 'aws:cdk:logicalId', data: logicalId }];
    }
    artifacts[s.id] = {
      type: 'aws:cloudformation:stack',
      environment: `aws://${s.account ?? 'unknown-account'}/${s.region}`,
      properties: { templateFile: `${s.id}.template.json` },
      metadata,
    };
  }
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ version: '55.0.0', artifacts }));
  return dir;
}

/**
 * The `Create` property of an `AwsCustomResource`, as aws-cdk-lib writes it: the JSON of the call inside `Fn::Join`
 * when it holds references.
 */
export function sdkCall(service: string, action: string, parameters: Record<string, unknown>, extra: Record<string, unknown> = {}): unknown {
  const refs: unknown[] = [];
  const json = JSON.stringify({ service, action, parameters, ...extra }, (_key, value) => {
    if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 1 && ('Ref' in value || 'Fn::GetAtt' in value || 'Fn::ImportValue' in value)) {
      refs.push(value);
      return `@@${refs.length - 1}@@`;
    }
    return value;
  });
  if (refs.length === 0) {
    return json;
  }
  const parts: unknown[] = [];
  let rest = json;
  refs.forEach((ref, i) => {
    const [before, after] = rest.split(`@@${i}@@`);
    parts.push(before, ref);
    rest = after;
  });
  parts.push(rest);
  return { 'Fn::Join': ['', parts] };
}

/** A `Custom::AWS` lookup resource. */
export function addLookup(t: TemplateBuilder, id: string, service: string, action: string, parameters: Record<string, unknown>,
  extra: Record<string, unknown> = {}): void {
  t.add(id, 'Custom::AWS', { ServiceToken: 'arn:aws:lambda:ap-northeast-1:222222222222:function:provider', Create: sdkCall(service, action, parameters, extra), InstallLatestAwsSdk: false });
}

/** `Fn::GetAtt [id, attribute]`. */
export function getAtt(id: string, attribute: string): unknown {
  return { 'Fn::GetAtt': [id, attribute] };
}
