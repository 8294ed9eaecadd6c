export { dayNumber, dayString, formatInstant, seasonality, HOUR_WEIGHTS, WEEKDAY_FACTORS } from './calendar';
export {
  CUSTOMER_ATTRIBUTES,
  CUSTOMERS_HEADER,
  MEMBERS_HEADER,
  TRANSACTIONS_HEADER,
  csvText,
  customersCsv,
  membersCsv,
  transactionsCsv,
  writeCsvFile,
  type CustomersCsvOptions,
  type Delimiter,
} from './csv';
export { BEHAVIOURS, DEFAULT_BEHAVIOUR_MIX, type Behaviour, type CustomerProfile, type LoyaltyTier, type PurchaseSpan } from './profiles';
export { formatCents, type Transaction } from './purchases';
export { Random, hashString } from './random';
export {
  SyntheticRetailer,
  type DayTransactionsOptions,
  type PlantedEffect,
  type PostSendGroup,
  type PostSendOptions,
  type RetailerOptions,
} from './retailer';
