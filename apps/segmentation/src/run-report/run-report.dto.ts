import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

// OpenAPI shapes of the run report (the service returns plain objects of these shapes).

export class GroupDispatchView {
  @ApiProperty({ enum: ['pending', 'scheduled', 'failed', 'held_out'], description: 'held_out: a control group, never dispatched' })
  status!: string;

  @ApiProperty({ format: 'date-time', nullable: true })
  updatedAt!: string | null;

  @ApiPropertyOptional({ description: 'scheduled: SmartFocus campaign id' })
  smartFocusCampaignId?: string;

  @ApiPropertyOptional()
  smartFocusMessageId?: string;

  @ApiPropertyOptional()
  smartFocusSegmentId?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  scheduledAt?: string;

  @ApiPropertyOptional()
  recipients?: number;

  @ApiPropertyOptional()
  matchedRecipients?: number;

  @ApiPropertyOptional({ description: 'failed: the dispatch step' })
  step?: string;

  @ApiPropertyOptional()
  errorCode?: string;

  @ApiPropertyOptional()
  errorMessage?: string;

  @ApiPropertyOptional()
  attempts?: number;
}

export class GroupReportView {
  @ApiProperty({ format: 'uuid' })
  groupId!: string;

  @ApiProperty({ enum: ['control', 'variant'] })
  kind!: string;

  @ApiProperty({ example: 'A' })
  name!: string;

  @ApiProperty({ nullable: true })
  templateMessageId!: string | null;

  @ApiProperty({ description: 'Planned share (0..1) of the assigned customers' })
  plannedShare!: number;

  @ApiProperty()
  size!: number;

  @ApiProperty()
  chunkCount!: number;

  @ApiProperty({ type: GroupDispatchView })
  dispatch!: GroupDispatchView;
}

export class ExecutionReportView {
  @ApiProperty({ format: 'uuid' })
  executionId!: string;

  @ApiProperty({ format: 'uuid' })
  campaignId!: string;

  @ApiProperty()
  campaignName!: string;

  @ApiProperty()
  priority!: number;

  @ApiProperty({ format: 'date-time' })
  scheduledAt!: string;

  @ApiProperty()
  modelDate!: string;

  @ApiProperty({ description: 'Customers the target group selected' })
  targeted!: number;

  @ApiProperty({ description: 'Customers in a group (control included)' })
  assigned!: number;

  @ApiProperty()
  control!: number;

  @ApiProperty({ example: { global_control: 12, action_duration: 40, taken_by_priority: 7 } })
  excluded!: Record<string, number>;

  @ApiProperty({ example: { targetMs: 410, holdsMs: 80, ledgerMs: 150, outboxMs: 300 } })
  timings!: Record<string, number>;

  @ApiProperty({ format: 'date-time' })
  publishedAt!: string;

  @ApiProperty({ type: [GroupReportView] })
  groups!: GroupReportView[];
}

export class RunReportView {
  @ApiProperty({ example: '2026-11-30' })
  runDate!: string;

  @ApiProperty({ example: '2026-11-29' })
  modelDate!: string;

  @ApiProperty({ enum: ['pending', 'held', 'running', 'completed', 'failed'] })
  status!: string;

  @ApiProperty({ enum: ['schedule', 'imports', 'deadline', 'api', 'cli'] })
  trigger!: string;

  @ApiProperty({ nullable: true })
  heldReason!: string | null;

  @ApiProperty({ nullable: true, format: 'date-time' })
  releasedAt!: string | null;

  @ApiProperty({ nullable: true })
  error!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ nullable: true, format: 'date-time' })
  startedAt!: string | null;

  @ApiProperty({ nullable: true, format: 'date-time' })
  finishedAt!: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'The model update: mode (rebuild, incremental, none), days, timings' })
  model!: unknown;

  @ApiProperty({ type: [ExecutionReportView] })
  executions!: ExecutionReportView[];
}
