import { BadRequestException, Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { RunReportView } from '../run-report/run-report.dto';
import { RunReportService, type RunReport } from '../run-report/run-report.service';
import { isDay } from '../shared/days';
import { NightlyRunService, type RunResult } from './nightly-run.service';
import { RunScheduler } from './run-scheduler.service';

class StartRunBody {
  @ApiProperty({ example: '2026-11-30', description: 'The run date: lists for campaigns due that day, from the model as of the day before' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  runDate!: string;

  @ApiPropertyOptional({ description: 'Answer when the run is done (with its report) instead of at once (202)' })
  @IsOptional()
  @IsBoolean()
  wait?: boolean;
}

class PreviewRunBody {
  @ApiProperty({ example: '2026-11-30' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  runDate!: string;
}

class RunListQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(366)
  limit?: number;
}

@ApiTags('runs')
@ApiBearerAuth()
@Controller('runs')
export class RunsController {
  constructor(
    private readonly runs: NightlyRunService,
    private readonly scheduler: RunScheduler,
    private readonly reports: RunReportService,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Start (or continue) the nightly run of a date. Idempotent: executions already published are never redone.',
  })
  @ApiAcceptedResponse({ type: RunReportView })
  async start(@Body() body: StartRunBody): Promise<RunReport> {
    const runDate = checkDay(body.runDate);
    const problem = this.runs.runDateProblem(runDate);
    if (problem) throw new BadRequestException(problem);
    await this.runs.claim(runDate, 'api');
    const done = this.scheduler.start(runDate);
    if (body.wait) await done;
    return this.reports.report(runDate);
  }

  @Post('preview')
  @HttpCode(200)
  @ApiOperation({ summary: "Dry run: tonight's lists per campaign without publishing, and the difference from each campaign's last execution" })
  preview(@Body() body: PreviewRunBody): Promise<RunResult> {
    return this.runs.preview(checkDay(body.runDate));
  }

  @Get()
  @ApiOperation({ summary: 'Runs, newest first (without executions)' })
  @ApiOkResponse({ type: [RunReportView] })
  list(@Query() query: RunListQuery): Promise<Omit<RunReport, 'executions' | 'model'>[]> {
    return this.reports.list(query.limit ?? 30);
  }

  @Get(':runDate')
  @ApiOperation({ summary: 'Run report: per campaign and group, targeted, control, variants, excluded by reason, timings, dispatch outcome' })
  @ApiOkResponse({ type: RunReportView })
  report(@Param('runDate') runDate: string): Promise<RunReport> {
    return this.reports.report(checkDay(runDate));
  }

  @Post(':runDate/release')
  @HttpCode(202)
  @ApiOperation({ summary: 'Release a run held by a suspicious import; it starts at once' })
  @ApiAcceptedResponse({ type: RunReportView })
  async release(@Param('runDate') runDate: string): Promise<RunReport> {
    const day = checkDay(runDate);
    if (!(await this.runs.release(day))) throw new NotFoundException(`no run for ${day}`);
    void this.scheduler.start(day);
    return this.reports.report(day);
  }
}

function checkDay(day: string): string {
  if (!isDay(day)) throw new BadRequestException('a run date is a calendar day YYYY-MM-DD');
  return day;
}
