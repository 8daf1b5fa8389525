/** How big a chaos run is: its workload, how much goes wrong while it runs, and how long it may take. */
export interface ChaosSize {
  name: 'ci' | 'full';
  shopOrders: number;
  deals: number;
  /** Zomentum clients the deals are spread over (returning clients share a RepairShopr customer). */
  clients: number;
  zzapOrders: number;
  /** ZZap orders whose status a buyer changes in ZZap, and as many others a CRM user changes in RetailCRM. */
  statusChangesEachWay: number;
  /** Services SIGKILLed (and started again) over the run; nats-server and Postgres are restarted once each besides. */
  kills: number;
  /** Pause before each kill or restart, drawn between these (ms). */
  pauseMs: [number, number];
  /** Share of vendor calls answered with a 5xx. */
  errorRate: number;
  /** Vendor calls answered too late for the client's 20 s timeout (after the work is done), per sandbox. */
  slowResponses: number;
  /** Longest wait for the sync to complete once the chaos stops, and again after the dead letters are replayed. */
  settleMs: number;
  /** How often both sides are compared while waiting (each time reads every sandbox's whole state). */
  pollMs: number;
}

export const CHAOS_SIZES: Record<ChaosSize['name'], ChaosSize> = {
  ci: {
    name: 'ci',
    shopOrders: 60,
    deals: 16,
    clients: 6,
    zzapOrders: 30,
    statusChangesEachWay: 4,
    kills: 6,
    pauseMs: [2_000, 6_000],
    errorRate: 0.2,
    slowResponses: 1,
    settleMs: 150_000,
    pollMs: 5_000,
  },
  full: {
    name: 'full',
    shopOrders: 5_000,
    deals: 1_000,
    clients: 120,
    zzapOrders: 1_000,
    statusChangesEachWay: 60,
    kills: 24,
    pauseMs: [20_000, 60_000],
    errorRate: 0.2,
    slowResponses: 10,
    // RepairShopr's 180 calls a minute bound the run: ~2,500 estimates, their lookups and customers take 35-40 min.
    settleMs: 3_600_000,
    pollMs: 30_000,
  },
};

export function chaosSize(name = 'ci'): ChaosSize {
  if (name !== 'ci' && name !== 'full') throw new Error(`CHAOS_SIZE must be ci or full, not '${name}'`);
  return CHAOS_SIZES[name];
}
