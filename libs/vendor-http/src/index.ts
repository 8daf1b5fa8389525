export {
  VendorHttpClient,
  type CredentialProvider,
  type FormFields,
  type HttpMethod,
  type QueryParams,
  type QueryValue,
  type ResponseHeaders,
  type VendorHttpClientOptions,
  type VendorRawRequest,
  type VendorRequest,
  type VendorResponse,
} from './client';
export {
  VendorAuthError,
  VendorHttpError,
  VendorNotFoundError,
  VendorRateLimitError,
  VendorSchemaError,
  VendorUnavailableError,
  VendorValidationError,
  type SchemaIssue,
  type VendorErrorCode,
  type VendorErrorFields,
} from './errors';
export { GENERAL_ERRORS, type FieldErrors } from './error-body';
export { paginate, type Page, type PageResult } from './paginate';
export { TokenBucket, type RateLimiter, type TokenBucketOptions } from './rate-limiter';
export { RateLimitStoreError, SharedTokenBucket, type RateLimitStore, type SharedTokenBucketOptions } from './shared-rate-limiter';
export { bucketWithMargin, evenlySpaced, installRateLimitStore, vendorRateLimiter } from './vendor-rate-limits';
export { type Redact } from './redaction';
export { DEFAULT_RETRY_POLICY, isIdempotentMethod, parseRetryAfter, type RetryPolicy } from './retry';
