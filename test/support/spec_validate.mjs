// Request validation shared by the simulators' spec workers (plain JavaScript: they run outside Jest's loader).
// Only query parameters the operation declares are validated, as the real servers ignore the others.

/** The first validation error of `req` against `operation`, in the shape spec_worker_client.ts reads; undefined if valid. */
export function firstRequestError(api, operation, req, query, body) {
  const declared = {};
  for (const p of operation.parameters ?? []) {
    if (p.in === 'query' && Object.hasOwn(query, p.name)) declared[p.name] = query[p.name];
  }
  const result = api.validator.validateRequest({...req, query: declared, body}, operation);
  const first = result.valid ? undefined : result.errors?.[0];
  return first && {instancePath: first.instancePath, message: first.message ?? 'is invalid',
    missingProperty: first.params?.missingProperty};
}
