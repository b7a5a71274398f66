/**
 * Values of the offline model. A resolved CloudFormation value is plain JSON in which:
 * - the ID of a resource of the assembly is a symbol string `⟦<stack artifact id>|<logical id>⟧` (the same symbol
 *   for `Ref` and for the `Fn::GetAtt` attributes that return the ID), so that IDs compare by string equality,
 *   also inside `Fn::Join` results such as the JSON of an `AwsCustomResource` call;
 * - an attribute that is only known at deployment is `⟦<stack>|<logical id>#<attribute>⟧` (opaque but stable);
 * - anything that cannot be resolved offline is an `Unknown` that says what and why.
 */

/** A value that cannot be resolved offline; `reason` names the resource and property. */
export class Unknown {
  constructor(public readonly reason: string) {}
}

/** Marker for `Ref: AWS::NoValue`: the property or list item is removed. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

const OPEN = '⟦';
const CLOSE = '⟧';
const SYMBOL = /^⟦([^⟦⟧#]+)(?:#([^⟦⟧]+))?⟧$/;

/** The key of a resource: `<stack artifact id>|<logical id>`. */
export function resourceKey(stackId: string, logicalId: string): string {
  return `${stackId}|${logicalId}`;
}

/** The ID symbol of a resource (what `Ref` returns). */
export function idSymbol(key: string): string {
  return `${OPEN}${key}${CLOSE}`;
}

/** The symbol of an attribute that is only known at deployment. */
export function attributeSymbol(key: string, attribute: string): string {
  return `${OPEN}${key}#${attribute}${CLOSE}`;
}

/** The symbol of an AWS-managed prefix list (`com.amazonaws.<region>.<service>`), which holds public addresses only. */
export function awsPrefixListSymbol(name: string): string {
  return `${OPEN}aws-prefix-list|${name}${CLOSE}`;
}

/** The name of the AWS-managed prefix list a symbol stands for, if it is one. */
export function awsPrefixListName(value: unknown): string | undefined {
  const symbol = parseSymbol(value);
  return symbol?.key.startsWith('aws-prefix-list|') ? symbol.key.slice('aws-prefix-list|'.length) : undefined;
}

/** Parses a string that is exactly one symbol. */
export function parseSymbol(value: unknown): { readonly key: string; readonly attribute?: string } | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  const m = SYMBOL.exec(value);
  return m ? { key: m[1], attribute: m[2] } : undefined;
}

/** True when the string contains a symbol (a deploy-time value). */
export function containsSymbol(value: string): boolean {
  return value.includes(OPEN);
}

/** The first `Unknown` found in a (nested) value, if any. */
export function findUnknown(value: unknown): Unknown | undefined {
  if (value instanceof Unknown) {
    return value;
  }
  if (Array.isArray(value)) {
    for (const item of value) {
      const u = findUnknown(item);
      if (u) {
        return u;
      }
    }
  } else if (value && typeof value === 'object') {
    for (const item of Object.values(value)) {
      const u = findUnknown(item);
      if (u) {
        return u;
      }
    }
  }
  return undefined;
}

/**
 * A construct path as people know it: without the `/Resource` of an L2's main L1, the `/Resource/Default` of a
 * custom resource, or the `/Subnet` of an L2 subnet.
 */
export function shortPath(path: string): string {
  return path.replace(/\/Resource\/Default$/, '').replace(/\/(Resource|Subnet)$/, '');
}
