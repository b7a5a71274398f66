import { StackInfo } from './assembly';
import { attributeSymbol, containsSymbol, findUnknown, idSymbol, NO_VALUE, resourceKey, Unknown } from './values';
import { Ipv4Cidr } from '../../private/cidr';

/** A resource of the assembly, as the model sees it. */
export interface Res {
  /** `<stack artifact id>|<logical id>`. */
  readonly key: string;
  readonly stack: StackInfo;
  readonly logicalId: string;
  readonly type: string;
  /** Raw (unresolved) properties. */
  readonly props: Record<string, unknown>;
  /** Construct path, or `<stack name>/<logical id>` when the assembly records none. */
  readonly path: string;
}

/** What the resolver needs from the model: custom resource attributes and literal ID mapping. */
export interface ResolverHost {
  /** The value of `Fn::GetAtt` on a custom resource (an `AwsCustomResource` lookup or another provider). */
  customAttribute(res: Res, attribute: string): unknown;
  /** The value of `Ref` on a custom resource (its physical ID). */
  customReference(res: Res): unknown;
  /** Maps a literal ID (e.g. `tgw-0123…` from a shared config) to the symbol of a modelled resource. */
  mapLiteral(value: string): string;
}

/**
 * Attributes that return the same ID as `Ref`, by resource type. Other attributes are resolved from the property of
 * the same meaning (`ATTRIBUTE_PROPERTIES`) or become an opaque deploy-time symbol.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-vpc.html#aws-resource-ec2-vpc-return-values
 */
const ID_ATTRIBUTES: Record<string, string[]> = {
  'AWS::EC2::VPC': ['VpcId'],
  'AWS::EC2::Subnet': ['SubnetId'],
  'AWS::EC2::RouteTable': ['RouteTableId'],
  'AWS::EC2::SecurityGroup': ['GroupId', 'Id'],
  'AWS::EC2::NetworkAcl': ['Id'],
  'AWS::EC2::TransitGateway': ['Id'],
  'AWS::EC2::TransitGatewayRouteTable': ['TransitGatewayRouteTableId'],
  'AWS::EC2::TransitGatewayVpcAttachment': ['Id'],
  'AWS::EC2::TransitGatewayAttachment': ['Id'],
  'AWS::EC2::VPNConnection': ['VpnConnectionId'],
  'AWS::EC2::CustomerGateway': ['CustomerGatewayId'],
  'AWS::EC2::VPCEndpoint': ['Id'],
  'AWS::EC2::PrefixList': ['PrefixListId'],
  'AWS::EC2::NetworkInterface': ['Id'],
  'AWS::EC2::InstanceConnectEndpoint': ['Id'],
  'AWS::Route53Resolver::ResolverEndpoint': ['ResolverEndpointId'],
  'AWS::Transfer::Server': ['ServerId'],
  'AWS::RDS::DBSubnetGroup': [],
};

/** Attributes whose value is a property of the same resource. */
const ATTRIBUTE_PROPERTIES: Record<string, Record<string, string>> = {
  'AWS::EC2::VPC': { CidrBlock: 'CidrBlock' },
  'AWS::EC2::Subnet': { CidrBlock: 'CidrBlock', AvailabilityZone: 'AvailabilityZone', AvailabilityZoneId: 'AvailabilityZoneId', VpcId: 'VpcId' },
  'AWS::EC2::SecurityGroup': { VpcId: 'VpcId' },
  'AWS::EC2::Instance': { PrivateIp: 'PrivateIpAddress' },
  'AWS::EC2::NetworkInterface': { PrimaryPrivateIpAddress: 'PrivateIpAddress' },
  'AWS::RDS::DBInstance': { 'Endpoint.Port': 'Port' },
  'AWS::RDS::DBCluster': { 'Endpoint.Port': 'Port' },
};

/**
 * The port RDS uses when the template sets none, by engine prefix.
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html (Port)
 */
const RDS_DEFAULT_PORTS: Array<[RegExp, number]> = [
  [/^(aurora-postgresql|postgres)/, 5432],
  [/^(aurora-mysql|aurora|mysql|mariadb)/, 3306],
  [/^oracle/, 1521],
  [/^sqlserver/, 1433],
  [/^db2/, 50000],
];

const PSEUDO: Record<string, (stack: StackInfo) => unknown> = {
  'AWS::AccountId': (s) => s.account ?? new Unknown(`stack ${s.name} is environment-agnostic: its account is only known at deployment`),
  'AWS::Region': (s) => s.region ?? new Unknown(`stack ${s.name} is environment-agnostic: its region is only known at deployment`),
  'AWS::Partition': () => 'aws',
  'AWS::URLSuffix': () => 'amazonaws.com',
  'AWS::StackName': (s) => s.name,
  'AWS::StackId': (s) => attributeSymbol(resourceKey(s.id, 'AWS::StackId'), 'StackId'),
  'AWS::NoValue': () => NO_VALUE,
};

/**
 * Resolves CloudFormation values offline: `Ref`, `Fn::GetAtt`, `Fn::ImportValue` (exports of the same account and
 * region), `Fn::GetStackOutput` (outputs of a stack of the assembly), `Fn::Join`, `Fn::Select`, `Fn::Split`, `Fn::Sub`, `Fn::If` with its conditions, `Fn::FindInMap`,
 * `Fn::Cidr`, pseudo parameters and parameter defaults. Anything else becomes an `Unknown` that names it.
 */
export class Resolver {
  private readonly resources = new Map<string, Res>();
  private exports?: Map<string, Array<{ stack: StackInfo; value: unknown }>>;
  private readonly conditionCache = new Map<string, boolean | Unknown>();
  private depth = 0;

  constructor(private readonly stacks: readonly StackInfo[], private readonly host: ResolverHost) {
    for (const stack of stacks) {
      for (const [logicalId, r] of Object.entries(stack.template.Resources ?? {})) {
        const key = resourceKey(stack.id, logicalId);
        this.resources.set(key, {
          key,
          stack,
          logicalId,
          type: r.Type,
          props: r.Properties ?? {},
          path: stack.paths.get(logicalId) ?? `${stack.name}/${logicalId}`,
        });
      }
    }
  }

  /** Every resource of every stack. */
  public allResources(): Res[] {
    return [...this.resources.values()];
  }

  /** The resource with this key. */
  public resource(key: string): Res | undefined {
    return this.resources.get(key);
  }

  /** Resolves one property of a resource. */
  public prop(res: Res, name: string): unknown {
    return this.resolve(res.stack, res.props[name]);
  }

  /** Resolves a value in the context of a stack. */
  public resolve(stack: StackInfo, value: unknown): unknown {
    if (this.depth > 64) {
      return new Unknown('the value refers to itself through too many levels of references');
    }
    this.depth++;
    try {
      return this.resolveInner(stack, value);
    } finally {
      this.depth--;
    }
  }

  private resolveInner(stack: StackInfo, value: unknown): unknown {
    if (typeof value === 'string') {
      return this.host.mapLiteral(value);
    }
    if (value === null || typeof value !== 'object') {
      return value;
    }
    if (Array.isArray(value)) {
      return value.map((v) => this.resolve(stack, v)).filter((v) => v !== NO_VALUE);
    }
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
      return this.intrinsic(stack, keys[0], obj[keys[0]]);
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const v = this.resolve(stack, obj[k]);
      if (v !== NO_VALUE) {
        out[k] = v;
      }
    }
    return out;
  }

  private intrinsic(stack: StackInfo, fn: string, arg: unknown): unknown {
    switch (fn) {
      case 'Ref': return this.ref(stack, String(arg));
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = Array.isArray(arg) ? [String(arg[0]), this.resolve(stack, arg[1])]
          : [String(arg).split('.')[0], String(arg).split('.').slice(1).join('.')];
        return typeof attribute === 'string' ? this.getAtt(stack, logicalId, attribute)
          : new Unknown(`Fn::GetAtt on ${logicalId} has an attribute name that is not a literal`);
      }
      case 'Fn::ImportValue': return this.importValue(stack, this.resolve(stack, arg));
      case 'Fn::GetStackOutput': return this.stackOutput(stack, this.resolve(stack, arg));
      case 'Fn::Join': return this.join(stack, arg);
      case 'Fn::Select': {
        const [index, list] = Array.isArray(arg) ? arg : [];
        const i = Number(this.resolve(stack, index));
        const items = this.resolve(stack, list);
        if (items instanceof Unknown) {
          return items;
        }
        if (!Array.isArray(items) || !Number.isInteger(i) || i < 0 || i >= items.length) {
          return new Unknown(`Fn::Select index ${i} is outside its list`);
        }
        return items[i];
      }
      case 'Fn::Split': {
        const [sep, text] = Array.isArray(arg) ? arg : [];
        const s = this.resolve(stack, text);
        return typeof s === 'string' ? s.split(String(sep)) : (s instanceof Unknown ? s : new Unknown('Fn::Split of a value that is not a string'));
      }
      case 'Fn::Sub': return this.sub(stack, arg);
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = Array.isArray(arg) ? arg : [];
        const c = this.condition(stack, String(condition));
        return c instanceof Unknown ? c : this.resolve(stack, c ? whenTrue : whenFalse);
      }
      case 'Fn::FindInMap': {
        const [map, k1, k2] = (Array.isArray(arg) ? arg : []).map((v) => this.resolve(stack, v));
        const found = stack.template.Mappings?.[String(map)]?.[String(k1)]?.[String(k2)];
        return found === undefined ? new Unknown(`Fn::FindInMap ${String(map)}.${String(k1)}.${String(k2)} has no entry`) : this.resolve(stack, found);
      }
      case 'Fn::Cidr': return this.cidr(stack, arg);
      case 'Fn::Base64': return this.resolve(stack, arg);
      case 'Fn::Length': {
        const list = this.resolve(stack, arg);
        return Array.isArray(list) ? list.length : new Unknown('Fn::Length of a value that is not a list');
      }
      case 'Fn::ToJsonString': {
        const v = this.resolve(stack, arg);
        return findUnknown(v) ?? JSON.stringify(v);
      }
      case 'Fn::GetAZs':
        return new Unknown('Fn::GetAZs: the availability zones are only known at deployment; give the stack an explicit env or the VPC explicit availabilityZones');
      default:
        return new Unknown(`${fn} is not evaluated offline`);
    }
  }

  private ref(stack: StackInfo, name: string): unknown {
    const pseudo = PSEUDO[name];
    if (pseudo) {
      return pseudo(stack);
    }
    const parameter = stack.template.Parameters?.[name];
    if (parameter) {
      if (parameter.Type?.startsWith('AWS::SSM::Parameter')) {
        return new Unknown(`parameter ${name} of stack ${stack.name} is read from SSM Parameter Store at deployment`);
      }
      return parameter.Default !== undefined ? this.resolve(stack, parameter.Default)
        : new Unknown(`parameter ${name} of stack ${stack.name} has no default; its value is only known at deployment`);
    }
    const key = resourceKey(stack.id, name);
    const res = this.resources.get(key);
    if (!res) {
      return new Unknown(`Ref ${name} names nothing in stack ${stack.name}`);
    }
    return res.type.startsWith('Custom::') ? this.host.customReference(res) : idSymbol(key);
  }

  private getAtt(stack: StackInfo, logicalId: string, attribute: string): unknown {
    const res = this.resources.get(resourceKey(stack.id, logicalId));
    if (!res) {
      return new Unknown(`Fn::GetAtt ${logicalId}.${attribute} names nothing in stack ${stack.name}`);
    }
    if (res.type.startsWith('Custom::') || res.type === 'AWS::CloudFormation::CustomResource') {
      return this.host.customAttribute(res, attribute);
    }
    if ((ID_ATTRIBUTES[res.type] ?? []).includes(attribute)) {
      return idSymbol(res.key);
    }
    const property = ATTRIBUTE_PROPERTIES[res.type]?.[attribute];
    if (property && res.props[property] !== undefined) {
      return this.prop(res, property);
    }
    if (attribute === 'Endpoint.Port' && res.type.startsWith('AWS::RDS::')) {
      const engine = this.prop(res, 'Engine');
      const port = typeof engine === 'string' ? RDS_DEFAULT_PORTS.find(([pattern]) => pattern.test(engine))?.[1] : undefined;
      if (port !== undefined) {
        return port;
      }
    }
    return attributeSymbol(res.key, attribute);
  }

  private importValue(stack: StackInfo, name: unknown): unknown {
    if (typeof name !== 'string' || containsSymbol(name)) {
      return name instanceof Unknown ? name : new Unknown('Fn::ImportValue of an export name that is only known at deployment');
    }
    const candidates = (this.exportIndex().get(name) ?? []).filter((e) =>
      (e.stack.account === stack.account || !e.stack.account || !stack.account) &&
      (e.stack.region === stack.region || !e.stack.region || !stack.region));
    if (candidates.length !== 1) {
      return new Unknown(candidates.length === 0
        ? `Fn::ImportValue ${name}: no stack of account ${stack.account ?? '(unknown)'} in ${stack.region ?? '(unknown region)'} exports it in this assembly`
        : `Fn::ImportValue ${name}: ${candidates.length} stacks export it`);
    }
    return this.resolve(candidates[0].stack, candidates[0].value);
  }

  /**
   * `Fn::GetStackOutput { StackName, OutputName, Region?, RoleArn? }`: the output (by logical ID) of a stack of the
   * assembly, in the given region (default: the consumer's) and the account of `RoleArn` (default: the consumer's).
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-getstackoutput.html
   */
  private stackOutput(stack: StackInfo, arg: unknown): unknown {
    const unknown = findUnknown(arg);
    if (unknown) {
      return unknown;
    }
    const a = (arg ?? {}) as { StackName?: unknown; OutputName?: unknown; Region?: unknown; RoleArn?: unknown };
    if (typeof a.StackName !== 'string' || typeof a.OutputName !== 'string') {
      return new Unknown('Fn::GetStackOutput needs a literal StackName and OutputName');
    }
    const region = typeof a.Region === 'string' ? a.Region : stack.region;
    const account = typeof a.RoleArn === 'string' ? /^arn:[^:]+:iam::([0-9]{12}):/.exec(a.RoleArn)?.[1] : stack.account;
    const what = `Fn::GetStackOutput ${a.StackName}.${a.OutputName}`;
    const candidates = this.stacks.filter((s) => s.name === a.StackName
      && (s.region === region || !s.region || !region) && (s.account === account || !s.account || !account));
    if (candidates.length !== 1) {
      return new Unknown(candidates.length === 0
        ? `${what}: no stack of that name in account ${account ?? '(unknown)'} and ${region ?? '(unknown region)'} is in this assembly`
        : `${what}: ${candidates.length} stacks of that name match`);
    }
    const output = candidates[0].template.Outputs?.[a.OutputName];
    return output === undefined ? new Unknown(`${what}: the stack has no such output`) : this.resolve(candidates[0], output.Value);
  }

  /** Exports by name, built on first use (export names are resolved like any other value). */
  private exportIndex(): Map<string, Array<{ stack: StackInfo; value: unknown }>> {
    if (!this.exports) {
      this.exports = new Map();
      for (const stack of this.stacks) {
        for (const output of Object.values(stack.template.Outputs ?? {})) {
          if (output.Export?.Name !== undefined) {
            const name = this.resolve(stack, output.Export.Name);
            if (typeof name === 'string') {
              const list = this.exports.get(name) ?? [];
              list.push({ stack, value: output.Value });
              this.exports.set(name, list);
            }
          }
        }
      }
    }
    return this.exports;
  }

  private join(stack: StackInfo, arg: unknown): unknown {
    const [sep, list] = Array.isArray(arg) ? arg : [];
    const items = this.resolve(stack, list);
    const unknown = findUnknown(items);
    if (unknown) {
      return unknown;
    }
    if (!Array.isArray(items)) {
      return new Unknown('Fn::Join of a value that is not a list');
    }
    return items.map((i) => (typeof i === 'string' ? i : JSON.stringify(i))).join(String(sep ?? ''));
  }

  private sub(stack: StackInfo, arg: unknown): unknown {
    const [text, vars] = Array.isArray(arg) ? arg : [arg, {}];
    if (typeof text !== 'string') {
      return new Unknown('Fn::Sub of a value that is not a string');
    }
    let unknown: Unknown | undefined;
    const result = text.replace(/\$\{(!?)([^}]+)\}/g, (_m, bang: string, name: string) => {
      if (bang) {
        return '${' + name + '}';
      }
      let v: unknown;
      if (vars && typeof vars === 'object' && name in (vars as object)) {
        v = this.resolve(stack, (vars as Record<string, unknown>)[name]);
      } else if (name.includes('.') && !name.startsWith('AWS::')) {
        const [logicalId, ...attr] = name.split('.');
        v = this.getAtt(stack, logicalId, attr.join('.'));
      } else {
        v = this.ref(stack, name);
      }
      if (v instanceof Unknown) {
        unknown = unknown ?? v;
        return '';
      }
      return typeof v === 'string' ? v : JSON.stringify(v);
    });
    return unknown ?? result;
  }

  private cidr(stack: StackInfo, arg: unknown): unknown {
    const [block, count, bits] = (Array.isArray(arg) ? arg : []).map((v) => this.resolve(stack, v));
    const unknown = findUnknown([block, count, bits]);
    if (unknown) {
      return unknown;
    }
    try {
      const parent = Ipv4Cidr.parse(String(block));
      const prefix = 32 - Number(bits);
      return parent.split(prefix).slice(0, Number(count)).map(String);
    } catch (e) {
      return new Unknown(`Fn::Cidr ${JSON.stringify([block, count, bits])} cannot be computed: ${(e as Error).message}`);
    }
  }

  private condition(stack: StackInfo, name: string): boolean | Unknown {
    const cacheKey = `${stack.id}|${name}`;
    const cached = this.conditionCache.get(cacheKey);
    if (cached !== undefined) {
      return cached;
    }
    const definition = stack.template.Conditions?.[name];
    const result = definition === undefined ? new Unknown(`condition ${name} is not defined in stack ${stack.name}`)
      : this.evaluateCondition(stack, definition);
    this.conditionCache.set(cacheKey, result);
    return result;
  }

  private evaluateCondition(stack: StackInfo, expression: unknown): boolean | Unknown {
    if (typeof expression === 'boolean') {
      return expression;
    }
    const obj = (expression ?? {}) as Record<string, unknown>;
    const [fn] = Object.keys(obj);
    const args = Array.isArray(obj[fn]) ? obj[fn] as unknown[] : [];
    switch (fn) {
      case 'Condition': return this.condition(stack, String(obj[fn]));
      case 'Fn::Equals': {
        const [a, b] = args.map((v) => this.resolve(stack, v));
        const unknown = findUnknown([a, b]);
        if (unknown) {
          return unknown;
        }
        if ((typeof a === 'string' && containsSymbol(a)) || (typeof b === 'string' && containsSymbol(b))) {
          return new Unknown('Fn::Equals compares a value that is only known at deployment');
        }
        return JSON.stringify(a) === JSON.stringify(b);
      }
      case 'Fn::Not': {
        const v = this.evaluateCondition(stack, args[0]);
        return v instanceof Unknown ? v : !v;
      }
      case 'Fn::And':
      case 'Fn::Or': {
        const values = args.map((a) => this.evaluateCondition(stack, a));
        const unknown = values.find((v): v is Unknown => v instanceof Unknown);
        if (unknown) {
          return unknown;
        }
        return fn === 'Fn::And' ? values.every((v) => v === true) : values.some((v) => v === true);
      }
      default: return new Unknown(`condition function ${fn} is not evaluated offline`);
    }
  }

  /** Whether a resource exists: false when its `Condition` evaluates to false. */
  public exists(res: Res): boolean | Unknown {
    const condition = res.stack.template.Resources?.[res.logicalId]?.Condition;
    return condition === undefined ? true : this.condition(res.stack, condition);
  }
}
