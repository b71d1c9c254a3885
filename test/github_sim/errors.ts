// GitHub's REST error bodies: {"message", "documentation_url", "status"} (and "errors" for validation failures),
// with the messages GitHub sends, so clients can match on them the way they would in production.

const DOCS = 'https://docs.github.com/rest';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly documentationUrl = DOCS,
    readonly headers: Readonly<Record<string, string>> = {},
    readonly errors?: readonly Record<string, string>[],
  ) {
    super(message);
    this.name = 'HttpError';
  }

  toBody(): Record<string, unknown> {
    return {
      message: this.message, ...(this.errors ? {errors: this.errors} : {}),
      documentation_url: this.documentationUrl, status: String(this.status),
    };
  }
}

export const notFound = (): HttpError => new HttpError(404, 'Not Found');
export const badCredentials = (): HttpError => new HttpError(401, 'Bad credentials');
export const requiresAuthentication = (): HttpError => new HttpError(401, 'Requires authentication');
export const badJson = (): HttpError => new HttpError(400, 'Problems parsing JSON');
export const invalidRequest = (detail: string): HttpError => new HttpError(422, `Invalid request.\n\n${detail}`);
export const mustBeOwner = (): HttpError =>
  new HttpError(403, 'You must be an admin to perform this action.');
export const mustHaveAdminRights = (): HttpError => new HttpError(403, 'Must have admin rights to Repository.');
export const notAccessibleByToken = (): HttpError =>
  new HttpError(403, 'Resource not accessible by personal access token');
export const validationFailed = (message: string, errors?: Record<string, string>[]): HttpError =>
  new HttpError(422, message, DOCS, {}, errors);
export const serverError = (): HttpError => new HttpError(502, 'Server Error');
