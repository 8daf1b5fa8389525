import { json, type Reply } from '@junction/sandbox-kit';
import { STATUS_CODES } from 'node:http';

// Zomentum documents its status codes (400 bad params or references, 401 auth or expired token, 403 not
// permitted) but not its error body; every error here has one guessed shape.

export interface FieldError {
  field: string;
  message: string;
}

export function apiError(status: number, message: string, errors?: FieldError[]): Reply {
  return json(status, { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message, ...(errors ? { errors } : {}) });
}

/** 400 for a body that breaks the rules, with every field at fault. */
export function validationError(errors: FieldError[]): Reply {
  return apiError(400, 'Validation failed', errors);
}

export function notFound(what: string): Reply {
  return apiError(404, `${what} not found`);
}
