import { headers, type MsgHdrs } from '@nats-io/transport-node';

type HeaderFilter = (name: string) => boolean;

/** Headers the server interprets (Nats-Msg-Id, Nats-Expected-*, direct-get metadata); never copied between messages. */
export function isServerHeader(name: string): boolean {
  return name.toLowerCase().startsWith('nats-');
}

/** Multi-valued headers are joined with ', ' as in HTTP. */
export function headersToRecord(source: MsgHdrs | undefined, keep: HeaderFilter = () => true): Record<string, string> {
  const record: Record<string, string> = {};
  if (!source) return record;
  for (const name of source.keys()) {
    if (keep(name)) record[name] = source.values(name).join(', ');
  }
  return record;
}

export function headersFromRecord(record: Record<string, string> = {}): MsgHdrs {
  const result = headers();
  for (const [name, value] of Object.entries(record)) result.set(name, value);
  return result;
}

export function copyHeaders(source: MsgHdrs | undefined, keep: HeaderFilter): MsgHdrs {
  const result = headers();
  if (!source) return result;
  for (const name of source.keys()) {
    if (!keep(name)) continue;
    for (const value of source.values(name)) result.append(name, value);
  }
  return result;
}
