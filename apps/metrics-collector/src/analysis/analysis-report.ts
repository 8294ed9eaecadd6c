// The analysis' shape is an HTTP contract read by the console: it lives in libs/contracts.
export type * from '@optimove/contracts/http';
