import { IsIn, IsInt, IsNumber, IsString, Matches, Max, Min } from 'class-validator';
import { Transform } from 'class-transformer';
import { BaseServiceConfig, toInteger } from '@optimove/config';
import { withSmartFocusClientConfig } from '@optimove/smartfocus-client';

const toNumber = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value.trim()) : value));

export const LATE_LIST_POLICIES = ['send-now', 'fail'] as const;
export type LateListPolicy = (typeof LATE_LIST_POLICIES)[number];

export const STALE_MEMBERS_POLICIES = ['send', 'fail'] as const;
export type StaleMembersPolicy = (typeof STALE_MEMBERS_POLICIES)[number];

/** Environment of the smartfocus-dispatch service; every variable is listed in .env.example. */
export class SmartFocusDispatchConfig extends withSmartFocusClientConfig(BaseServiceConfig) {
  @toInteger()
  @IsInt()
  @Min(0)
  @Max(65535)
  override HTTP_PORT = 3003;

  /** Groups dispatched at once by one replica. */
  @toInteger()
  @IsInt()
  @Min(1)
  @Max(64)
  DISPATCH_CONCURRENCY = 2;

  /** How often an idle replica looks for a group to dispatch. */
  @toInteger()
  @IsInt()
  @Min(10)
  @Max(60_000)
  DISPATCH_POLL_INTERVAL_MS = 1_000;

  /** A replica's claim on a group lasts this long unless renewed; a crashed replica's group is taken over after it. */
  @toInteger()
  @IsInt()
  @Min(500)
  @Max(3_600_000)
  DISPATCH_CLAIM_LEASE_MS = 60_000;

  /** Attempts of one group before it fails with BUDGET_SPENT (each attempt already has the client's own retries). */
  @toInteger()
  @IsInt()
  @Min(1)
  @Max(100)
  DISPATCH_MAX_ATTEMPTS = 8;

  @toInteger()
  @IsInt()
  @Min(1)
  @Max(3_600_000)
  DISPATCH_RETRY_INITIAL_DELAY_MS = 5_000;

  @toInteger()
  @IsInt()
  @Min(1)
  @Max(86_400_000)
  DISPATCH_RETRY_MAX_DELAY_MS = 300_000;

  /** CUSTOMER_ID criteria added between two saved progress marks (a crash repeats at most these). */
  @toInteger()
  @IsInt()
  @Min(1)
  @Max(10_000)
  DISPATCH_CRITERIA_PER_PROGRESS = 100;

  /** Below this share (percent) of a group's customer ids known to SmartFocus, the member list is called stale. */
  @toNumber()
  @IsNumber()
  @Min(0)
  @Max(100)
  DISPATCH_MIN_MATCHED_PERCENT = 95;

  /** With a stale member list: `send` anyway (and warn) or `fail` the group. */
  @IsIn(STALE_MEMBERS_POLICIES)
  DISPATCH_STALE_MEMBERS_POLICY: StaleMembersPolicy = 'send';

  /** A list complete only after its send time: `send-now` or `fail` with LATE. */
  @IsIn(LATE_LIST_POLICIES)
  DISPATCH_LATE_LIST_POLICY: LateListPolicy = 'send-now';

  /**
   * A group still missing chunks this long after its send time, with no chunk in that time, fails
   * with INCOMPLETE_LIST (a chunk dead-lettered or lost upstream would otherwise keep it waiting).
   */
  @toInteger()
  @IsInt()
  @Min(1_000)
  @Max(604_800_000)
  DISPATCH_INCOMPLETE_LIST_AFTER_MS = 3_600_000;

  /** How long `GET /messages` answers from its cache. */
  @toInteger()
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  DISPATCH_MESSAGES_CACHE_MS = 60_000;

  /** How many of the newest SmartFocus messages `GET /messages` looks at for new templates. */
  @toInteger()
  @IsInt()
  @Min(1)
  @Max(10_000)
  DISPATCH_TEMPLATE_SCAN_LIMIT = 500;

  /**
   * Tests only (refused in production): comma-separated points where the process kills itself
   * with SIGKILL, e.g. `after-call:create-campaign,after-save:post-campaign`.
   */
  @IsString()
  @Matches(/^((after-call|after-save):[a-z-]+)?(,(after-call|after-save):[a-z-]+)*$/, { message: 'DISPATCH_TEST_CRASH_POINTS must be a list of after-call:<step> or after-save:<step>' })
  DISPATCH_TEST_CRASH_POINTS = '';
}
