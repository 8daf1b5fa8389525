import { stringParam, text, type ParamObject, type Reply, type SandboxRequest } from '@junction/sandbox-kit';
import type { ZzapData } from './data';
import type { Account } from './records';

/**
 * The legacy ASMX answer: HTTP 200, an XML `<string>` whose text is the JSON result. The namespace is ASP.NET's
 * default (unconfirmed).
 */
export function answer(result: Record<string, unknown>): Reply {
  const escaped = JSON.stringify(result).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return text(200, `<?xml version="1.0" encoding="utf-8"?>\n<string xmlns="http://tempuri.org/">${escaped}</string>`, 'text/xml; charset=utf-8');
}

/** Failures are HTTP 200 with a non-empty `error`; the texts are our guess. */
export function refusal(error: string): Reply {
  return answer({ error });
}

export const ERRORS = {
  badKey: 'Неверный api_key',
  badLogin: 'Неверный логин или пароль',
  noOrder: 'Заказ не найден',
  badTrack: 'Неверный код статуса',
  badDate: 'Неверный формат даты',
  badRowCount: 'Неверное значение row_count',
} as const;

/** Parameters of a call: the form body of a POST, else the query string (ASMX takes both). */
export function params(request: SandboxRequest): ParamObject {
  const body = request.body;
  if (request.method === 'POST' && body !== null && typeof body === 'object' && !Array.isArray(body)) return body as ParamObject;
  return request.query;
}

/**
 * ASP.NET's own answer to a web method parameter that is absent: a 500 with the exception as plain text, not the
 * JSON envelope.
 */
export function missingParameters(request: SandboxRequest, names: string[]): Reply | undefined {
  const missing = names.find((name) => stringParam(params(request), name) === undefined);
  return missing === undefined ? undefined : text(500, `System.InvalidOperationException: Missing parameter: ${missing}.\r\n`, 'text/plain; charset=utf-8');
}

export function keyAccount(request: SandboxRequest, data: ZzapData): Account | undefined {
  const key = stringParam(params(request), 'api_key');
  return key ? data.accounts.find((account) => account.api_key === key) : undefined;
}

export type SellerHandler = (request: SandboxRequest, data: ZzapData, account: Account) => Reply;

/** A seller method: `login`, `password`, `api_key` present (else ASP.NET's 500), the key valid, the login its cabinet's. */
export function seller(required: string[], handler: SellerHandler): (request: SandboxRequest, data: ZzapData) => Reply {
  return (request, data) => {
    const missing = missingParameters(request, ['login', 'password', 'api_key', ...required]);
    if (missing) return missing;
    const account = keyAccount(request, data);
    if (!account) return refusal(ERRORS.badKey);
    const values = params(request);
    if (stringParam(values, 'login') !== account.login || stringParam(values, 'password') !== account.password) return refusal(ERRORS.badLogin);
    return handler(request, data, account);
  };
}
