import { PermanentError, RetryableError } from '@junction/messaging';
import { secretRegistry } from '@junction/secrets';
import { RateLimitStoreError, VendorAuthError, VendorHttpError } from '@junction/vendor-http';

/** A command or a connection names a connection this connector does not have. */
export class UnknownConnectionError extends Error {
  override readonly name = 'UnknownConnectionError';

  constructor(readonly connectionId: string) {
    super(`unknown connection ${connectionId}`);
  }
}

/** Which record a command needs before it can run: a key of its connection's ID map. */
export interface AwaitedRecord {
  entityType: string;
  sourceKey: string;
}

/**
 * A command needs a record another command writes (a contact its customer), and the ID map does not hold it yet. The
 * runtime parks the command until it does (see DependencyWaits); waiting spends none of the command's retries.
 */
export class MissingDependencyError extends Error {
  override readonly name = 'MissingDependencyError';

  constructor(
    readonly awaited: AwaitedRecord,
    /** What is missing, in the connector's words, e.g. `customer <sourceKey> is not in RepairShopr yet`. */
    message: string,
  ) {
    super(message);
  }
}

/** Why something failed, in the words `record.failed` and `sync.run.updated` carry. */
export interface Failure {
  code: string;
  /** Readable and scrubbed of every registered secret. */
  message: string;
  /** Whether trying again later may succeed. */
  retryable: boolean;
  retryAfterMs?: number;
}

/**
 * Sorts an error into retry-or-give-up. A rejected credential does not fix itself, so it is permanent: the user
 * fixes the connection and replays the dead letter. Errors of unknown kind are retried; the delivery limit ends them.
 */
export function classifyFailure(error: unknown): Failure {
  const message = secretRegistry.scrub(error instanceof Error ? error.message : String(error));
  if (error instanceof UnknownConnectionError) return { code: 'unknown_connection', message, retryable: false };
  if (error instanceof VendorAuthError) {
    const rejected = `credentials rejected by ${error.vendor}: ${message}`;
    return { code: 'credentials_rejected', message: rejected, retryable: false };
  }
  if (error instanceof VendorHttpError) {
    return { code: error.code, message, retryable: error.retryable, retryAfterMs: error.retryAfterMs };
  }
  if (error instanceof PermanentError) return { code: 'rejected', message, retryable: false };
  if (error instanceof RetryableError) {
    return { code: 'retryable', message, retryable: true, retryAfterMs: error.retryAfterMs };
  }
  return { code: 'internal', message, retryable: true };
}

/** Whether a stream read that threw may be resumed after a pause (rate limit or its store, vendor down, timeout). */
export function isTransient(error: unknown): boolean {
  return (
    error instanceof RetryableError ||
    error instanceof RateLimitStoreError ||
    (error instanceof VendorHttpError && error.retryable)
  );
}
