/** Vendor and integration names are brand names: the same in every language. */
export const VENDOR_NAMES: Record<string, string> = {
  zomentum: 'Zomentum',
  repairshopr: 'RepairShopr',
  shoprenter: 'Shoprenter',
  minicrm: 'MiniCRM',
  zzap: 'ZZap',
  retailcrm: 'RetailCRM',
};

export function vendorName(connector: string): string {
  return VENDOR_NAMES[connector] ?? connector;
}

/** "Shoprenter → MiniCRM": two-way kinds show both arrows. */
export function kindName(kind: string): string {
  const [source, target] = kind.split('-');
  const arrow = kind === 'shoprenter-minicrm' ? '→' : '↔';
  return `${vendorName(source)} ${arrow} ${vendorName(target)}`;
}
