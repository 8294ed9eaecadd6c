import { IsInt, IsISO8601, IsRFC3339, IsOptional, IsString, IsUUID, Matches, Min } from 'class-validator';

/** `campaign.scheduled.v1`: a group's SmartFocus campaign was created and posted. */
export class CampaignScheduledV1 {
  @IsUUID()
  executionId!: string;

  @IsUUID()
  campaignId!: string;

  @IsUUID()
  groupId!: string;

  /** SmartFocus campaign id. */
  @IsString()
  @Matches(/^\d+$/)
  smartFocusCampaignId!: string;

  /** SmartFocus id of the message cloned for this campaign. */
  @IsString()
  @Matches(/^\d+$/)
  smartFocusMessageId!: string;

  /** SmartFocus segment id holding the group's customer ids. */
  @IsString()
  @Matches(/^\d+$/)
  smartFocusSegmentId!: string;

  /** Send time, UTC. */
  @IsISO8601({ strict: true })
  @IsRFC3339()
  scheduledAt!: string;

  /** Customer ids handed to SmartFocus for this group. */
  @IsInt()
  @Min(0)
  recipients!: number;

  /** How many of the group's customer ids SmartFocus knows as members (the segment's count). Optional. */
  @IsOptional()
  @IsInt()
  @Min(0)
  matchedRecipients?: number;
}
