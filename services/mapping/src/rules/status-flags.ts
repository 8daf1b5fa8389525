import type { OrderStatusChange } from '@junction/contracts';

/** The three status flags of a ZZap <-> RetailCRM integration. */
export interface StatusSyncFlags {
  /** Flag 1: ZZap -> RetailCRM. */
  statusZzapToCrm: boolean;
  /** Flag 2: RetailCRM -> ZZap. */
  statusCrmToZzap: boolean;
  /** Flag 3: with flag 2, also changes other services made through RetailCRM's API. */
  processApiChanges: boolean;
}

export type ChangeAuthor = OrderStatusChange['changedBy']['kind'];

/** Junction's own writes come back as changes; forwarding them would ping-pong between the systems. */
export function isEcho(author: ChangeAuthor): boolean {
  return author === 'junction';
}

export function forwardsZzapChange(flags: StatusSyncFlags, author: ChangeAuthor): boolean {
  return flags.statusZzapToCrm && !isEcho(author);
}

export function forwardsRetailCrmChange(flags: StatusSyncFlags, author: ChangeAuthor): boolean {
  if (!flags.statusCrmToZzap || isEcho(author)) return false;
  return author !== 'api_client' || flags.processApiChanges;
}
