// Mattermost's AppError wire shape and the handful of errors the simulator raises.
// Ids and messages are the server's i18n ids and English strings, so clients can match on them.

export interface AppErrorBody {
  readonly id: string;
  readonly message: string;
  readonly detailed_error: string;
  readonly request_id: string;
  readonly status_code: number;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly id: string,
    message: string,
    readonly detailedError = '',
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody(requestId: string): AppErrorBody {
    return {id: this.id, message: this.message, detailed_error: this.detailedError, request_id: requestId, status_code: this.status};
  }
}

export const sessionExpired = (): ApiError =>
  new ApiError(401, 'api.context.session_expired.app_error', 'Invalid or expired session, please login again.');

export const forbidden = (): ApiError =>
  new ApiError(403, 'api.context.permissions.app_error', 'You do not have the appropriate permissions.');

export const invalidUrlParam = (name: string): ApiError =>
  new ApiError(400, 'api.context.invalid_url_param.app_error', `Invalid or missing ${name} parameter in request URL.`);

export const invalidBodyParam = (name: string): ApiError =>
  new ApiError(400, 'api.context.invalid_body_param.app_error', `Invalid or missing ${name} in request body.`);

export const invalidParam = (name: string): ApiError =>
  new ApiError(400, 'api.context.invalid_param.app_error', `Invalid ${name} parameter.`);

export const apiNotFound = (): ApiError => new ApiError(404, 'api.context.404.app_error', 'Sorry, we could not find the page.');

export const methodNotAllowed = (): ApiError =>
  new ApiError(405, 'api.context.405.app_error', 'The method is not allowed for the requested URL.');

export const notFound = (id: string, message: string): ApiError => new ApiError(404, id, message);

export const badRequest = (id: string, message: string): ApiError => new ApiError(400, id, message);

export const userNotFound = (): ApiError => notFound('app.user.missing_account.const', 'Unable to find the user.');
export const teamNotFound = (): ApiError => notFound('app.team.get.find.app_error', 'Unable to find the existing team.');
export const channelNotFound = (): ApiError => notFound('app.channel.get.existing.app_error', 'Unable to find the existing channel.');
export const postNotFound = (): ApiError => notFound('app.post.get.app_error', 'Unable to get post.');
