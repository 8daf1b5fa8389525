import { ConnectorKitInitial1795478400000 } from './1795478400000-connector-kit-initial';

export { ConnectorKitInitial1795478400000 };

/** The kit's migrations, oldest first. openServiceDataSource runs them before the service's own. */
export const kitMigrations = [ConnectorKitInitial1795478400000];
