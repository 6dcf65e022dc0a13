// The environment config: the only place a stack's configuration is validated. Its parts live in
// stacks/config/ (names, schema, state backend, cross-field checks, messages, loader); this file is
// the surface every other module imports.
export { KNOWN_REGIONS, LOG_DELIVERY_PRINCIPALS, stackNameProblem } from './config/names';
export { describeReceived, ConfigError } from './config/messages';
export { defaultStateKey, type LocalStateBackend, type S3StateBackend, type StateBackend } from './config/backend';
export {
  ACCEPTABLE_REMAINING,
  ENCRYPTION_POLICY_MODES,
  EVENTBRIDGE_DESTINATION,
  INVENTORY_FORMATS,
  INVENTORY_FREQUENCIES,
  LOG_DELIVERY_SERVICES,
  configSchema,
  type AcceptedException,
  type BucketConfig,
  type EncryptionPolicyMode,
  type InventoryFormat,
  type InventoryFrequency,
  type LogDeliveryService,
  type MigrationConfig,
} from './config/schema';
export { refuseLocalStateInCi, runsInCi, sharedStateProblems } from './config/checks';
export { defaultEnvironmentsDir, environmentsDir, listStacks, loadConfig, parseConfig, stackConfigFile } from './config/loader';
