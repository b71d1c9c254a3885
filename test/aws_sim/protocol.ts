// The two wire protocols the simulated services speak: AWS Query (form-encoded `Action=…&Version=…` in, XML out;
// IAM and STS) and AWS JSON 1.1 (`X-Amz-Target: Service.Action`, JSON in and out; Organizations, CloudTrail,
// Identity Store, SSO Admin). https://smithy.io/2.0/aws/protocols/aws-query-protocol.html and aws-json-1_1-protocol.
import {XMLBuilder} from 'fast-xml-parser';
import {AwsSimError, missingParameter} from './errors.js';

export type WireValue =
  | string | number | boolean | Date | null | undefined | WireValue[] | {[key: string]: WireValue};

/** A parsed Query request: the flat form parameters, with list helpers for `Name.member.N`. */
export class QueryParams {
  constructor(private readonly form: URLSearchParams) {}

  get action(): string {
    return this.form.get('Action') ?? '';
  }

  get version(): string {
    return this.form.get('Version') ?? '';
  }

  optional(name: string): string | undefined {
    const value = this.form.get(name);
    return value === null ? undefined : value;
  }

  required(name: string): string {
    const value = this.form.get(name);
    if (value === null || value === '') throw missingParameter(name.charAt(0).toLowerCase() + name.slice(1), false);
    return value;
  }

  /** `MaxItems`-style integers; a malformed one is a ValidationError as in AWS. */
  integer(name: string): number | undefined {
    const raw = this.form.get(name);
    if (raw === null) return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n)) {
      throw new AwsSimError('ValidationError', 400, `1 validation error detected: Value '${raw}' at ` +
        `'${name.charAt(0).toLowerCase() + name.slice(1)}' failed to satisfy constraint: Member must be an integer`);
    }
    return n;
  }

  /** Members of a Query list (`Filter.member.1`, `Filter.member.2`, …) in index order. */
  list(name: string): string[] {
    const found: [number, string][] = [];
    const prefix = `${name}.member.`;
    for (const [key, value] of this.form) {
      if (!key.startsWith(prefix)) continue;
      const index = Number(key.slice(prefix.length));
      if (Number.isInteger(index)) found.push([index, value]);
    }
    return found.sort((a, b) => a[0] - b[0]).map(([, v]) => v);
  }
}

/** A parsed JSON 1.1 request body with typed readers that fail the way AWS validation does. */
export class JsonInput {
  constructor(readonly body: Record<string, unknown>) {}

  optional(name: string): string | undefined {
    const value = this.body[name];
    return typeof value === 'string' ? value : undefined;
  }

  required(name: string): string {
    const value = this.body[name];
    if (typeof value !== 'string' || value === '') {
      throw missingParameter(name.charAt(0).toLowerCase() + name.slice(1), true);
    }
    return value;
  }

  integer(name: string): number | undefined {
    const value = this.body[name];
    return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
  }

  object(name: string): Record<string, unknown> | undefined {
    const value = this.body[name];
    return value && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
  }

  array(name: string): unknown[] {
    const value = this.body[name];
    return Array.isArray(value) ? value : [];
  }
}

const builder = new XMLBuilder({ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: false});

/** Converts a result to fast-xml-parser's input: lists become `<member>` elements, dates ISO 8601, no nulls. */
function toXmlTree(value: WireValue): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return {member: value.map(toXmlTree)};
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || v === null) continue;
      out[k] = toXmlTree(v);
    }
    return out;
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return value === null || value === undefined ? '' : String(value);
}

export function queryResponseXml(action: string, namespace: string, requestId: string,
  result: Record<string, WireValue> | undefined): string {
  const body: Record<string, unknown> = {'@_xmlns': namespace};
  if (result !== undefined) body[`${action}Result`] = toXmlTree(result);
  body['ResponseMetadata'] = {RequestId: requestId};
  return builder.build({[`${action}Response`]: body}) as string;
}

export function queryErrorXml(error: AwsSimError, namespace: string, requestId: string): string {
  return builder.build({
    ErrorResponse: {
      '@_xmlns': namespace,
      Error: {Type: error.faultType, Code: error.code, Message: error.message},
      RequestId: requestId,
    },
  }) as string;
}

/** JSON 1.1 timestamps are epoch seconds. */
export function jsonBody(result: WireValue): string {
  return JSON.stringify(result, function replacer(this: unknown, key: string, v: unknown) {
    const raw = (this as Record<string, unknown>)[key];
    return raw instanceof Date ? raw.getTime() / 1000 : v;
  });
}

export function jsonErrorBody(error: AwsSimError, namespace: string): string {
  return JSON.stringify({__type: `${namespace}#${error.code}`, Message: error.message, ...error.extra});
}

/** IAM returns policy documents URL-encoded (RFC 3986) inside its XML. */
export function encodePolicyDocument(document: string): string {
  return encodeURIComponent(document);
}

/** Opaque pagination markers: a base64 offset, as unreadable to clients as AWS's own. */
export function encodeMarker(offset: number): string {
  return Buffer.from(`sim-page:${offset}`).toString('base64');
}

export function decodeMarker(marker: string | undefined, json: boolean): number {
  if (marker === undefined || marker === '') return 0;
  const text = Buffer.from(marker, 'base64').toString('utf8');
  const match = /^sim-page:(\d+)$/.exec(text);
  if (!match) {
    throw json
      ? new AwsSimError('InvalidNextTokenException', 400, 'The specified NextToken is not valid.')
      : new AwsSimError('InvalidInput', 400, 'Invalid Marker.');
  }
  return Number(match[1]);
}

/** One page of `items` from a marker, honouring the client's page size and the simulator's page cap. */
export function page<T>(items: readonly T[], marker: string | undefined, requested: number | undefined,
  defaults: {max: number; fallback: number; cap: number}, json: boolean): {items: T[]; next: string | undefined} {
  const offset = decodeMarker(marker, json);
  const wanted = requested ?? defaults.fallback;
  if (wanted < 1 || wanted > defaults.max) {
    throw new AwsSimError(json ? 'InvalidInputException' : 'ValidationError', 400,
      `1 validation error detected: Value '${wanted}' at '${json ? 'maxResults' : 'maxItems'}' failed to satisfy ` +
      `constraint: Member must have value less than or equal to ${defaults.max}`);
  }
  const size = Math.min(wanted, defaults.cap);
  const slice = items.slice(offset, offset + size);
  const end = offset + slice.length;
  return {items: slice, next: end < items.length ? encodeMarker(end) : undefined};
}
