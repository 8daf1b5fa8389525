export { SecretBox, SecretBoxError } from './secret-box';
export { SecretRegistry, secretRegistry, scrubDeep, redactUrl } from './secret-registry';
export { REDACTED, isSecretKey } from './secret-keys';
