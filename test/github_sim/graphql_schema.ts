// GitHub's public GraphQL schema from @octokit/graphql-schema, built once per process (buildSchema needs
// assumeValidSDL: the SDL repeats a field, fidelity.md §2). A query is parsed, validated against the schema, checked
// against the fields the simulator answers, and costed with GitHub's formula (docs: rate-limits-and-node-limits).
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {
  buildSchema, type DocumentNode, type FragmentDefinitionNode, getNamedType, GraphQLError, type GraphQLField,
  type GraphQLNamedType, type GraphQLSchema, isInterfaceType, isObjectType, Kind, type OperationDefinitionNode, parse,
  type SelectionSetNode, TypeInfo, validate, visit, visitWithTypeInfo,
} from 'graphql';
import {packageDir} from './packages.js';

let schema: GraphQLSchema | undefined;

export function githubSchema(): GraphQLSchema {
  if (!schema) {
    const file = join(packageDir('@octokit/graphql-schema'), 'schema.graphql');
    schema = buildSchema(readFileSync(file, 'utf8'), {assumeValidSDL: true});
  }
  return schema;
}

/**
 * The fields the simulator resolves, per type. Anything else in a valid query is refused before execution with an
 * error naming the field, so a provider query that drifts from what is simulated fails loudly in tests.
 */
export const SUPPORTED: Readonly<Record<string, readonly string[]>> = {
  Query: ['organization', 'repository', 'user', 'enterprise', 'viewer', 'rateLimit'],
  Organization: ['login', 'databaseId', 'samlIdentityProvider', 'teams', 'repositories', 'membersWithRole', 'viewerCanAdminister'],
  OrganizationIdentityProvider: ['id', 'externalIdentities'],
  ExternalIdentityConnection: ['nodes', 'edges', 'pageInfo', 'totalCount'],
  ExternalIdentityEdge: ['node', 'cursor'],
  ExternalIdentity: ['guid', 'user', 'samlIdentity'],
  ExternalIdentitySamlAttributes: ['nameId', 'username', 'emails'],
  UserEmailMetadata: ['value', 'primary', 'type'],
  TeamConnection: ['nodes', 'pageInfo', 'totalCount'],
  Team: ['slug', 'name', 'databaseId', 'members'],
  TeamMemberConnection: ['edges', 'pageInfo', 'totalCount'],
  TeamMemberEdge: ['role', 'node'],
  RepositoryConnection: ['nodes', 'pageInfo', 'totalCount'],
  Repository: ['name', 'nameWithOwner', 'isPrivate', 'isFork', 'isArchived', 'databaseId', 'owner', 'parent',
    'viewerPermission', 'collaborators', 'deployKeys'],
  RepositoryCollaboratorConnection: ['edges', 'pageInfo', 'totalCount'],
  RepositoryCollaboratorEdge: ['permission', 'permissionSources', 'node'],
  PermissionSource: ['permission', 'roleName', 'source'],
  DeployKeyConnection: ['totalCount'],
  OrganizationMemberConnection: ['nodes', 'edges', 'pageInfo', 'totalCount'],
  OrganizationMemberEdge: ['role', 'node'],
  User: ['login', 'databaseId', 'organizationVerifiedDomainEmails', 'repositories'],
  RepositoryOwner: ['login'],
  Enterprise: ['slug', 'ownerInfo'],
  EnterpriseOwnerInfo: ['pendingCollaboratorInvitations'],
  RepositoryInvitationConnection: ['nodes', 'pageInfo', 'totalCount'],
  RepositoryInvitation: ['id', 'permission', 'email', 'invitee', 'repository'],
  RepositoryInfo: ['nameWithOwner', 'name'],
  RateLimit: ['cost', 'limit', 'remaining', 'resetAt', 'used', 'nodeCount'],
  PageInfo: ['hasNextPage', 'endCursor', 'hasPreviousPage', 'startCursor'],
};

/** GitHub's error object: message, locations, and `type` / `path` / `extensions` where GitHub sends them. */
export interface GithubGraphqlError {
  readonly message: string;
  readonly locations?: readonly {line: number; column: number}[];
  readonly path?: readonly (string | number)[];
  readonly type?: string;
  readonly extensions?: Readonly<Record<string, unknown>>;
}

export interface Prepared {
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  readonly isMutation: boolean;
}

const MAX_NODES = 500_000;
const cache = new Map<string, Prepared | {errors: GithubGraphqlError[]}>();

function locationsOf(e: GraphQLError): {line: number; column: number}[] | undefined {
  return e.locations?.map((l) => ({line: l.line, column: l.column}));
}

/** graphql-js wording → GitHub's (graphql-ruby) wording for the error every schema drift produces. */
function githubValidationError(e: GraphQLError): GithubGraphqlError {
  const m = /^Cannot query field "(\w+)" on type "(\w+)"/.exec(e.message);
  if (m) {
    return {message: `Field '${m[1]}' doesn't exist on type '${m[2]}'`, locations: locationsOf(e),
      extensions: {code: 'undefinedField', typeName: m[2], fieldName: m[1]}};
  }
  return {message: e.message, locations: locationsOf(e)};
}

/** Parses, validates and checks a query once per distinct text (clients resend the same documents). */
export function prepare(query: string, operationName: string | undefined): Prepared | {errors: GithubGraphqlError[]} {
  const key = `${operationName ?? ''}\n${query}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const result = prepareUncached(query, operationName);
  if (cache.size > 500) cache.clear();
  cache.set(key, result);
  return result;
}

function prepareUncached(query: string, operationName: string | undefined): Prepared | {errors: GithubGraphqlError[]} {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (e) {
    const err = e as GraphQLError;
    const loc = err.locations?.[0];
    return {errors: [{message: `Parse error: ${err.message.replace(/^Syntax Error: /, '')}${loc ? ` at [${loc.line}, ${loc.column}]` : ''}`,
      locations: locationsOf(err)}]};
  }
  const s = githubSchema();
  const invalid = validate(s, document);
  if (invalid.length > 0) return {errors: invalid.map(githubValidationError)};
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName === undefined ? operations[0] : operations.find((o) => o.name?.value === operationName);
  if (!operation || (operationName === undefined && operations.length > 1)) {
    return {errors: [{message: 'An operation name is required'}]};
  }
  const unsupported: GithubGraphqlError[] = [];
  const info = new TypeInfo(s);
  visit(document, visitWithTypeInfo(info, {
    Field(node) {
      const parent = info.getParentType();
      const name = node.name.value;
      if (!parent || name === '__typename') return;
      if (!(SUPPORTED[parent.name] ?? []).includes(name)) {
        unsupported.push({message: `Field '${name}' on type '${parent.name}' is not answered by the GitHub simulator`,
          locations: node.loc ? [{line: node.loc.startToken.line, column: node.loc.startToken.column}] : undefined,
          extensions: {code: 'undefinedField', typeName: parent.name, fieldName: name}});
      }
    },
  }));
  if (unsupported.length > 0) return {errors: unsupported};
  return {document, operation, isMutation: operation.operation === 'mutation'};
}

export interface Cost {
  /** Primary-limit points: connection requests / 100, rounded, at least 1. */
  readonly points: number;
  readonly nodes: number;
}

/** GitHub's cost formula, with `first`/`last` taken from literals or variables. Throws on the 500,000 node limit. */
export function costOf(prepared: Prepared, variables: Readonly<Record<string, unknown>>): Cost {
  const s = githubSchema();
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of prepared.document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  let requests = 0;
  let nodes = 0;
  // Unions have no fields of their own: only their fragments' type conditions lead further.
  const fieldsOf = (t: GraphQLNamedType | null | undefined): Record<string, GraphQLField<unknown, unknown>> =>
    t && (isObjectType(t) || isInterfaceType(t)) ? t.getFields() : {};
  const walk = (set: SelectionSetNode, parent: GraphQLNamedType, multiplier: number): void => {
    for (const sel of set.selections) {
      if (sel.kind === Kind.FRAGMENT_SPREAD || sel.kind === Kind.INLINE_FRAGMENT) {
        const frag = sel.kind === Kind.FRAGMENT_SPREAD ? fragments.get(sel.name.value) : sel;
        const onType = frag?.typeCondition ? s.getType(frag.typeCondition.name.value) : parent;
        if (frag) walk(frag.selectionSet, onType ?? parent, multiplier);
        continue;
      }
      const field = fieldsOf(parent)[sel.name.value];
      if (!field || !sel.selectionSet) continue;
      const type = getNamedType(field.type);
      let childMultiplier = multiplier;
      if (type.name.endsWith('Connection')) {
        const arg = sel.arguments?.find((a) => a.name.value === 'first' || a.name.value === 'last');
        const raw = arg?.value.kind === Kind.INT ? Number(arg.value.value)
          : arg?.value.kind === Kind.VARIABLE ? Number(variables[arg.value.name.value]) : 0;
        const n = Number.isFinite(raw) ? raw : 0;
        requests += multiplier;
        nodes += multiplier * n;
        if (nodes > MAX_NODES) {
          throw new GraphQLError(`By the time this query traverses to the ${sel.name.value} connection, it is requesting `
            + `up to ${nodes} possible nodes which exceeds the maximum limit of ${MAX_NODES}.`);
        }
        childMultiplier = multiplier * Math.max(1, n);
      }
      walk(sel.selectionSet, type, childMultiplier);
    }
  };
  const root = prepared.isMutation ? s.getMutationType() : s.getQueryType();
  if (root) walk(prepared.operation.selectionSet, root, 1);
  return {points: Math.max(1, Math.round(requests / 100)), nodes};
}
