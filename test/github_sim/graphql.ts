// POST /graphql: GitHub's GraphQL endpoint over the simulator's state. Errors come back as GitHub sends them: HTTP 200
// with `errors` (parse, validation, NOT_FOUND, FORBIDDEN), RATE_LIMITED when the hourly points run out.
import {execute, type ExecutionResult, GraphQLError} from 'graphql';
import type {Authenticated} from './auth.js';
import {HttpError} from './errors.js';
import {costOf, githubSchema, type GithubGraphqlError, prepare} from './graphql_schema.js';
import {type GraphqlContext, queryRoot} from './graphql_resolvers.js';
import {primaryHeaders, type RateLimits} from './rate_limit.js';
import type {Reply} from './route_kit.js';
import type {SimState} from './state.js';

export interface GraphqlRequest {
  readonly state: SimState;
  readonly limits: RateLimits;
  readonly auth: Authenticated;
  readonly body: unknown;
}

function githubError(e: GraphQLError): GithubGraphqlError {
  const type = typeof e.extensions['type'] === 'string' ? e.extensions['type'] : undefined;
  return {
    ...(type === undefined ? {} : {type}), ...(e.path ? {path: [...e.path]} : {}),
    ...(e.locations ? {locations: e.locations.map((l) => ({line: l.line, column: l.column}))} : {}),
    message: e.message,
  };
}

export function handleGraphql(req: GraphqlRequest): Reply {
  const {state, limits, auth} = req;
  const body = req.body as {query?: unknown; variables?: unknown; operationName?: unknown} | undefined;
  if (typeof body?.query !== 'string') {
    throw new HttpError(400, 'A query attribute must be specified and must be a string.', 'https://docs.github.com/graphql');
  }
  const variables = body.variables !== null && typeof body.variables === 'object' ? body.variables as Record<string, unknown> : {};
  const operationName = typeof body.operationName === 'string' ? body.operationName : undefined;
  const headersNow = (): Record<string, string> => primaryHeaders(limits.peek(auth.key, 'graphql', auth.graphqlLimit));

  const prepared = prepare(body.query, operationName);
  if ('errors' in prepared) return {json: {errors: prepared.errors}, headers: headersNow()};
  limits.checkSecondary(auth.key, 'graphql', prepared.isMutation ? 5 : 1, prepared.isMutation, headersNow());
  let cost;
  try {
    cost = costOf(prepared, variables);
  } catch (e) {
    if (e instanceof GraphQLError) return {json: {errors: [{type: 'MAX_NODE_LIMIT_EXCEEDED', message: e.message}]}, headers: headersNow()};
    throw e;
  }
  let spent;
  try {
    spent = limits.spend(auth.key, auth.who, 'graphql', auth.graphqlLimit, cost.points);
  } catch (e) {
    if (!(e instanceof HttpError)) throw e;
    return {json: {errors: [{type: 'RATE_LIMITED', message: e.message}]}, headers: {...e.headers}};
  }
  const ctx: GraphqlContext = {
    state, principal: auth.principal, teamMemo: new Map(),
    rateLimit: () => ({cost: cost.points, limit: spent.limit, remaining: spent.remaining, used: spent.used,
      nodeCount: cost.nodes, resetAt: new Date(spent.reset * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')}),
  };
  const result = execute({
    schema: githubSchema(), document: prepared.document, rootValue: queryRoot(ctx), contextValue: ctx,
    variableValues: variables, ...(operationName === undefined ? {} : {operationName}),
  }) as ExecutionResult;
  const json: Record<string, unknown> = {data: result.data ?? null};
  if (result.errors && result.errors.length > 0) json['errors'] = result.errors.map(githubError);
  return {json, headers: primaryHeaders(spent)};
}
