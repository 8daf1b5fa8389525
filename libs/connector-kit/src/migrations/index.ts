import { ConnectorKitInitial1795478400000 } from './1795478400000-connector-kit-initial';
import { ObservationsAndAccountKeys1795900000000 } from './1795900000000-observations-and-account-keys';
import { RateLimits1796000000000 } from './1796000000000-rate-limits';
import { IdMapClaims1796100000000 } from './1796100000000-id-map-claims';
import { ParkedCommands1796300000000 } from './1796300000000-parked-commands';

export {
  ConnectorKitInitial1795478400000,
  IdMapClaims1796100000000,
  ObservationsAndAccountKeys1795900000000,
  ParkedCommands1796300000000,
  RateLimits1796000000000,
};

/** The kit's migrations, oldest first. openServiceDataSource runs them before the service's own. */
export const kitMigrations = [
  ConnectorKitInitial1795478400000,
  ObservationsAndAccountKeys1795900000000,
  RateLimits1796000000000,
  IdMapClaims1796100000000,
  ParkedCommands1796300000000,
];
