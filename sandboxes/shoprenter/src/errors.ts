import { json, type Reply } from '@junction/sandbox-kit';

/**
 * Shoprenter documents status codes and inner codes (40008 page out of range…) but not the body; the sandbox
 * answers `{"error": <innerCode or status>, "message": "…"}` (our guess; the batch docs show `message`).
 */
export function apiError(status: number, code: number, message: string, headers?: Record<string, string>): Reply {
  return json(status, { error: code, message }, headers);
}

export const TOO_MANY_REQUESTS = () => apiError(429, 429, 'Too Many Requests');
export const notFound = (path: string) => apiError(404, 40401, `Resource matching URI "${path}" not found`);
