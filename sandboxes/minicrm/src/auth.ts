import { header, text, type Handler, type Reply, type SandboxRequest } from '@junction/sandbox-kit';
import type { MiniCrmData } from './data';
import type { System } from './records';

export type GuardedHandler = (request: SandboxRequest, data: MiniCrmData, system: System) => Reply | Promise<Reply>;

/** The system of a request: HTTP Basic with the SystemId as user name and the API key as password. */
export function systemOf(request: SandboxRequest, data: MiniCrmData): System | undefined {
  const match = /^Basic\s+(.+)$/i.exec(header(request, 'authorization') ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const system = data.systems.get(decoded.slice(0, colon));
  return system && system.ApiKey === decoded.slice(colon + 1) ? system : undefined;
}

/**
 * Refuses a wrong SystemId or key. The manual literally lists "404 Unauthorized"; 401 is likelier, so 401 is
 * the default and the reset option `unauthorizedStatus: 404` gives the documented one.
 */
export function guarded(handler: GuardedHandler): Handler<MiniCrmData> {
  return (request, data) => {
    const system = systemOf(request, data);
    if (!system) return text(data.unauthorizedStatus, 'Unauthorized: Access denied');
    return handler(request, data, system);
  };
}
