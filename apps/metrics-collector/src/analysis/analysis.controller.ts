import { Controller, Get, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { analysisCsv } from './analysis-csv';
import type { Analysis } from './analysis-report';
import { AnalysisService } from './analysis.service';

type Format = 'json' | 'csv';

@ApiTags('analysis')
@ApiBearerAuth()
@Controller()
export class AnalysisController {
  constructor(private readonly analysis: AnalysisService) {}

  @Get('executions/:executionId/analysis')
  @ApiOperation({ summary: "One execution's analysis: funnel, revenue, uplift against control, A/B verdict, programme view" })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv'] })
  async execution(
    @Param('executionId', new ParseUUIDPipe()) executionId: string,
    @Query('format') format: Format | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Analysis | string> {
    return render(await this.analysis.forExecution(executionId), format, response);
  }

  @Get('campaigns/:campaignId/analysis')
  @ApiOperation({
    summary: "A campaign's analysis over all its executions together",
    description:
      'Groups of the same kind and name are pooled over the executions: each group is keyed `<kind>:<name>` (`key`, which comparisons, srm and abTest refer to), ' +
      '`groupIds` lists the execution groups pooled in it, and `groupId` is null unless there is only one.',
  })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv'] })
  async campaign(
    @Param('campaignId', new ParseUUIDPipe()) campaignId: string,
    @Query('format') format: Format | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Analysis | string> {
    return render(await this.analysis.forCampaign(campaignId), format, response);
  }
}

function render(analysis: Analysis, format: Format | undefined, response: Response): Analysis | string {
  if (format !== 'csv') return analysis;
  response.setHeader('Content-Type', 'text/csv; charset=utf-8');
  response.setHeader('Content-Disposition', 'attachment; filename="analysis.csv"');
  return analysisCsv(analysis);
}
