import type { OrderStatus } from '@junction/contracts';
import { toOrderStatuses } from './canonical';
import type { ShoprenterClient, SrLanguage } from './client';

/** The shop's order statuses as they are now, named in Hungarian (three sequential calls; never cached). */
export async function readOrderStatuses(client: ShoprenterClient, languages?: SrLanguage[]): Promise<OrderStatus[]> {
  const shopLanguages = languages ?? (await client.languages());
  const statuses = await client.orderStatuses();
  const descriptions = await client.orderStatusDescriptions();
  return toOrderStatuses(shopLanguages, statuses, descriptions);
}
