/** Injection tokens that JunctionModule provides to every service. */
export const CONFIG = 'JUNCTION_CONFIG';
export const LOGGER = 'JUNCTION_LOGGER';
export const SERVICE_DEFINITION = 'JUNCTION_SERVICE_DEFINITION';
