// HTTP answers other apps read (the console's pages): types only, safe for a browser bundle.
export type * from './campaign-analysis';
export type * from './run-report';
