// AWS errors as the simulator raises them: the error code, HTTP status and message AWS documents, rendered by
// protocol.ts as an IAM/STS `<ErrorResponse>` or a JSON-1.1 `{"__type", "Message"}` body.

export class AwsSimError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    /** Extra modeled members of the error (e.g. Organizations' ConstraintViolationException `Reason`). */
    readonly extra: Readonly<Record<string, string | number>> = {},
  ) {
    super(message);
    this.name = code;
  }

  /** `Sender` unless AWS would blame itself (5xx). */
  get faultType(): 'Sender' | 'Receiver' {
    return this.status >= 500 ? 'Receiver' : 'Sender';
  }
}

// IAM (https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html and each action's Errors section).
export const noSuchEntity = (message: string): AwsSimError => new AwsSimError('NoSuchEntity', 404, message);
export const deleteConflict = (message: string): AwsSimError => new AwsSimError('DeleteConflict', 409, message);
export const entityAlreadyExists = (message: string): AwsSimError => new AwsSimError('EntityAlreadyExists', 409, message);
export const limitExceeded = (message: string): AwsSimError => new AwsSimError('LimitExceeded', 409, message);
export const invalidInput = (message: string): AwsSimError => new AwsSimError('InvalidInput', 400, message);
export const malformedPolicy = (message: string): AwsSimError =>
  new AwsSimError('MalformedPolicyDocument', 400, message);

/** The 1-validation-error message Query and JSON services give for a missing required member. */
export function missingParameter(name: string, json: boolean): AwsSimError {
  const message = `1 validation error detected: Value null at '${name}' failed to satisfy constraint: ` +
    'Member must not be null';
  return json ? new AwsSimError('ValidationException', 400, message) : new AwsSimError('ValidationError', 400, message);
}

export function accessDenied(callerArn: string, action: string, resource: string, json: boolean,
  why = 'no identity-based policy allows the'): AwsSimError {
  const message = why.startsWith('with an explicit deny')
    ? `User: ${callerArn} is not authorized to perform: ${action} on resource: ${resource} ${why}`
    : `User: ${callerArn} is not authorized to perform: ${action} on resource: ${resource} because ${why} ` +
      `${action} action`;
  return new AwsSimError(json ? 'AccessDeniedException' : 'AccessDenied', json ? 400 : 403, message);
}

/** What each protocol answers when the request is throttled. */
export function throttled(service: string): AwsSimError {
  switch (service) {
    case 'iam':
    case 'sts':
      return new AwsSimError('Throttling', 400, 'Rate exceeded');
    case 'organizations':
      return new AwsSimError('TooManyRequestsException', 400,
        'AWS Organizations can\'t complete your request because another request is already in progress or you ' +
        'have sent too many requests. Try again later.', {Type: 'Throttling'});
    default:
      return new AwsSimError('ThrottlingException', 400, 'Rate exceeded');
  }
}

export function internalFailure(service: string): AwsSimError {
  if (service === 'iam') return new AwsSimError('ServiceFailure', 500, 'The request processing has failed because of an unknown error, exception or failure.');
  if (service === 'sts') return new AwsSimError('InternalFailure', 500, 'An internal error occurred.');
  return new AwsSimError(service === 'organizations' ? 'ServiceException' : 'InternalServerException', 500,
    'An internal error occurred. Try again later.');
}
