import { startTelemetry } from '@junction/telemetry';

/** Started before anything loads http or pg, so both are instrumented. */
export const telemetry = startTelemetry({ serviceName: 'mapping' });
