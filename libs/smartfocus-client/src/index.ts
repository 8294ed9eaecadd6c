export { SmartFocusClient } from './smartfocus-client';
export { SmartFocusClientModule, type SmartFocusClientModuleOptions } from './smartfocus-client.module';
export {
  SmartFocusClientConfig,
  smartFocusClientSettings,
  withSmartFocusClientConfig,
  type SmartFocusClientSettings,
} from './smartfocus-client.config';
export {
  SmartFocusError,
  SmartFocusAuthenticationError,
  SmartFocusCircuitOpenError,
  SmartFocusNotFoundError,
  SmartFocusProtocolError,
  SmartFocusSessionError,
  SmartFocusTransientError,
  SmartFocusValidationError,
  type SmartFocusErrorKind,
} from './errors/smartfocus-errors';
export { SMARTFOCUS_URL_PATTERNS, registerSmartFocusRedaction } from './redaction/smartfocus-redaction';
export { snapshotRates } from './reports/snapshot-rates';
export type { MessagesApi } from './api/messages.api';
export type { SegmentsApi, CustomerIdCriteriaOptions } from './api/segments.api';
export type { CampaignsApi } from './api/campaigns.api';
export type { MembersApi } from './api/members.api';
export * from './types';
