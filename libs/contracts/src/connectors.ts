import { z } from 'zod';

/** The vendors Junction has a connector service for. */
export const CONNECTORS = ['zomentum', 'repairshopr', 'shoprenter', 'minicrm', 'zzap', 'retailcrm'] as const;

export const ConnectorName = z.enum(CONNECTORS);
export type ConnectorName = z.infer<typeof ConnectorName>;
