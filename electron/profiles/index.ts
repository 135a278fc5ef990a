/** Saved router profiles and the secrets port for their passwords. */
export { ProfileStore, sortProfiles, type ProfileStoreDeps } from './profile-store';
export {
  DEFAULT_PORTS,
  profileSchema,
  validateHost,
  validateInput,
  type PasswordMode,
  type Profile,
  type ProfileInput,
  type ProfileField,
  type FieldErrors,
  type Validated,
} from './profile';
export { FileSecretStore, SecretStoreError, type SecretStore, type SecretStoreErrorCode } from './secret-store';
