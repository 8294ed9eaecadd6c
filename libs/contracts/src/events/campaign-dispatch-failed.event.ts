import { IsIn, IsInt, IsNotEmpty, IsString, IsUUID, MaxLength, Min } from 'class-validator';

export const DISPATCH_STEPS = [
  'assemble-list',
  'clone-message',
  'create-segment',
  'add-criteria',
  'create-campaign',
  'post-campaign',
  // Added after v1 shipped (additive): the segment count showed a stale SmartFocus member list.
  'count-segment',
] as const;
export type DispatchStep = (typeof DISPATCH_STEPS)[number];

/** `campaign.dispatch-failed.v1`: a group could not be handed to SmartFocus. */
export class CampaignDispatchFailedV1 {
  @IsUUID()
  executionId!: string;

  @IsUUID()
  campaignId!: string;

  @IsUUID()
  groupId!: string;

  /** The dispatch step that failed. */
  @IsIn(DISPATCH_STEPS)
  step!: DispatchStep;

  /** SmartFocus status or an internal error code, e.g. `MESSAGE_ALREADY_USED`. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  errorCode!: string;

  /** Human-readable reason; never contains credentials. */
  @IsString()
  @MaxLength(2000)
  errorMessage!: string;

  /** How many attempts were made before giving up. */
  @IsInt()
  @Min(1)
  attempts!: number;
}
