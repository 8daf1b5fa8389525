import { z } from 'zod';

/** Every error the control API answers with: a closed set of codes, each with one HTTP status. */
export const API_ERROR_STATUS = {
  invalid_request: 400,
  unauthorized: 401,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  connector_error: 502,
  connector_unavailable: 503,
  internal: 500,
} as const;
export type ApiErrorCode = keyof typeof API_ERROR_STATUS;

export const ApiIssue = z.object({
  path: z.string().describe('dotted path of the offending field, e.g. settings.statusMap'),
  message: z.string(),
});
export type ApiIssue = z.infer<typeof ApiIssue>;

export const ApiErrorBody = z.object({
  error: z.enum(Object.keys(API_ERROR_STATUS) as [ApiErrorCode, ...ApiErrorCode[]]),
  message: z.string().optional(),
  issues: z.array(ApiIssue).optional(),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

export class ApiError extends Error {
  override name = 'ApiError';

  constructor(
    readonly code: ApiErrorCode,
    message?: string,
    readonly issues?: ApiIssue[],
  ) {
    super(message ?? code);
  }

  get status(): number {
    return API_ERROR_STATUS[this.code];
  }

  toBody(): ApiErrorBody {
    return { error: this.code, message: this.message === this.code ? undefined : this.message, issues: this.issues };
  }

  static notFound(what: string): ApiError {
    return new ApiError('not_found', `${what} not found`);
  }
}

/** Zod issues as API issues; an unknown key is reported at its own path so the client sees which one. */
export function issuesFromZod(error: z.ZodError): ApiIssue[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...issue.path, key].join('.'), message: 'unknown field' }));
    }
    return [{ path: issue.path.join('.'), message: issue.message }];
  });
}

export function invalidRequest(error: z.ZodError): ApiError {
  return new ApiError('invalid_request', 'the request is not valid', issuesFromZod(error));
}
