/** The SmartFocus web apps the client speaks to; a session token is valid on one module only. */
export type SmartFocusModule = 'apiccmd' | 'apimember' | 'apibatchmember';

export const SMARTFOCUS_MODULES: readonly SmartFocusModule[] = ['apiccmd', 'apimember', 'apibatchmember'];

/** An e-mail message (`ApiMessage`). */
export type EmailMessage = {
  id: number;
  name: string;
  description?: string;
  subject?: string;
  from?: string;
  fromEmail?: string;
  to?: string;
  replyTo?: string;
  replyToEmail?: string;
  /** `[EMV HTMLPART]...[EMV TEXTPART]...` */
  body?: string;
  encoding?: string;
  type?: string;
  createDate?: Date;
};

export type NewEmailMessage = {
  name: string;
  subject: string;
  body: string;
  from: string;
  fromEmail: string;
  description?: string;
  to?: string;
  replyTo?: string;
  replyToEmail?: string;
  encoding?: string;
};

export type MessagePreviewPart = 'HTML' | 'TEXT';

export type SegmentSampleType = 'ALL' | 'PERCENT' | 'FIX';

/** A segment (`ApiSegmentation`); campaigns target it by id (`mailinglistId`). */
export type Segment = {
  id: number;
  name: string;
  description?: string;
  sampleType: SegmentSampleType;
  sampleRate?: number;
  dateCreate?: Date;
  dateModif?: Date;
};

export type NewSegment = { name: string; description?: string };

export type StringCriterionOperator =
  | 'EQUALS'
  | 'CONTAINS'
  | 'DOES_NOT_CONTAINS'
  | 'BEGINS_WITH'
  | 'ENDS_WITH'
  | 'IS_EMPTY'
  | 'IS_NOT_EMPTY'
  | 'EQUALS_CASE_SENSITIVE'
  | 'CONTAINS_CASE_SENSITIVE'
  | 'DOES_NOT_CONTAINS_CASE_SENSITIVE'
  | 'BEGINS_WITH_CASE_SENSITIVE'
  | 'ENDS_WITH_CASE_SENSITIVE';

/** One `stringDemographicCriteria`; criteria of the same group are OR-ed. */
export type StringDemographicCriterion = {
  columnName: string;
  operator: StringCriterionOperator;
  values: readonly string[];
  groupName?: string;
  groupNumber?: number;
};

/** A criterion of a segment as SmartFocus lists it (string criteria carry their values). */
export type SegmentCriterion = {
  /** Position in the segment, 0-based (`orderFrag`). */
  order: number;
  type: string;
  groupNumber?: number;
  columnName?: string;
  operator?: string;
  values: string[];
};

export type CampaignStatus = 'EDITABLE' | 'QUEUED' | 'RUNNING' | 'PAUSED' | 'COMPLETED' | 'FAILED' | 'KILLED';

export const CAMPAIGN_STATUSES: readonly CampaignStatus[] = ['EDITABLE', 'QUEUED', 'RUNNING', 'PAUSED', 'COMPLETED', 'FAILED', 'KILLED'];

export type Campaign = {
  id: number;
  name: string;
  description?: string;
  messageId: number;
  /** The target segment (`mailinglistId` / `mailingListId` on the wire). */
  segmentId: number;
  sendDate: Date;
  status: CampaignStatus;
  notification?: boolean;
  postClickTracking?: boolean;
  emaildedupflg?: boolean;
};

export type NewCampaign = {
  /** Deterministic per (execution, group): the client looks it up before creating. */
  name: string;
  description?: string;
  sendDate: Date;
  messageId: number;
  segmentId: number;
  notification?: boolean;
  postClickTracking?: boolean;
  emailDedup?: boolean;
};

export type CreatedCampaign = { id: number; /** false when a campaign of that name already existed. */ created: boolean };

/** The counts of `apiCampaignSnapshot` (Part A item 8). */
export type SnapshotCounts = {
  selected: number;
  filtered: number;
  delivered: number;
  bounces: number;
  hardBounces: number;
  softBounces: number;
  complaints: number;
  uniqueOpens: number;
  uniqueClicks: number;
  unsubscribes: number;
  conversions: number;
};

/** Rates as fractions (0.25 = 25 %); null when the denominator is zero (nothing sent or delivered yet). */
export type SnapshotRates = {
  /** delivered / (selected - filtered) */
  delivery: number | null;
  /** unique opens / delivered */
  open: number | null;
  /** unique clicks / delivered */
  click: number | null;
  /** unsubscribes / delivered */
  unsubscribe: number | null;
};

export type CampaignSnapshot = {
  campaignId: number;
  beginDate?: Date;
  endDate?: Date;
  counts: SnapshotCounts;
  rates: SnapshotRates;
};

/** A member to insert or update; `fields` are member-table columns (FIRSTNAME, LASTNAME, CUSTOMER_ID...). */
export type MemberUpsert = {
  email: string;
  fields?: Readonly<Record<string, string>>;
  /** Which member(s) to update, e.g. `{ CUSTOMER_ID: '00123' }`; by default the e-mail address. */
  match?: Readonly<Record<string, string>>;
};

export type MemberJobStatus = 'Insert' | 'Processing' | 'Processed' | 'Error' | 'Job_Done_Or_Does_Not_Exist';

export type MergeUpload = {
  fileName: string;
  /** The file content (CSV lines, CRLF or LF); sent with every line end made CRLF, as SmartFocus reads lines. */
  content: string;
  /** Member-table column of each CSV column, in order. */
  columns: readonly string[];
  separator?: ',' | ';' | '|' | 'tab';
  skipFirstLine?: boolean;
  /** Merge key; `EMAIL` by default. */
  criteria?: string;
};

/** Upload states grouped as the reference does: pending, final (done / done with errors), error. */
export type UploadState = 'pending' | 'done' | 'done-with-errors' | 'failed';

export type UploadStatus = { uploadId: number; status: string; state: UploadState; details?: string };
